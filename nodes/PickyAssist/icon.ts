import type { Icon } from 'n8n-workflow';

/** One mark for the node, the trigger and the credential, in the editor's light and dark themes. */
export const PICKY_ASSIST_ICON: Icon = {
	light: 'file:pickyassist.svg',
	dark: 'file:pickyassist.dark.svg',
};
