'use strict';
/** The description the bench helper nodes share (one input, one output, version 1), as n8n reads a node's. */
const description = ({
	name,
	displayName,
	group = 'transform',
	description,
	defaults,
	properties = [],
}) => ({
	...{ displayName, name, group: [group], version: 1, description, defaults: { name: defaults } },
	...{ inputs: ['main'], outputs: ['main'], properties },
});

module.exports = { description };
