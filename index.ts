export { PickyAssistApi } from './credentials/PickyAssistApi.credentials';
export { PickyAssist } from './nodes/PickyAssist/PickyAssist.node';
export { PickyAssistTrigger } from './nodes/PickyAssist/PickyAssistTrigger.node';
