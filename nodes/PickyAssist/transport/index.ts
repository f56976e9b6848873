export type { PickyAssistCredentials } from './credentials';
export { API_HOSTS, apiBaseUrl, checkBalance, CREDENTIAL_TYPE } from './credentials';
export type { PushPolicy, PushResult, PushRow, PushSettings } from './push';
export { buildPushBody, sendPush } from './push';
export type { ReadPolicy, ReadResult } from './read';
export { readEndpoint } from './read';
export { CancelledBeforeSending, executionCancelled } from './attempts';
export type { Account, CallLimitSettings } from './account';
export { openAccount } from './account';
