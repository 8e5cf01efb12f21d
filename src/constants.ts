import pluginJson from './plugin.json';

export const APP_ID = pluginJson.id;
export const DATASOURCE_TYPE = 'rolloutlens-argorollouts-datasource';
export const PLUGIN_BASE_URL = `/a/${APP_ID}`;
export const NEW_DATASOURCE_URL = `/connections/datasources/new/${DATASOURCE_TYPE}`;
