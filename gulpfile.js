// Copies what tsc does not: the node's icons and codex files into dist/.
const path = require('node:path');
const { task, src, dest } = require('gulp');

task('build:icons', function copyStaticFiles() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve('dist')));
});

task('build', task('build:icons'));
