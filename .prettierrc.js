// The tooling is formatted like the package: the n8n-nodes-starter's settings, kept in one place.
module.exports = require('./packages/n8n-nodes-pickyassist/.prettierrc.js');
