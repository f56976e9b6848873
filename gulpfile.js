// Copies what tsc does not: the node's icons and codex files into dist/, and the README from the repository
// root, which is the package's page on npm and in n8n's community-node listing.
const path = require('node:path');
const { task, src, dest, parallel } = require('gulp');

task('build:icons', function copyStaticFiles() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve('dist')));
});

task('build:docs', function copyReadme() {
	return src('../../README.md', { encoding: false }).pipe(dest(path.resolve('.')));
});

task('build', parallel('build:icons', 'build:docs'));
