/**
 * A Jest reporter that writes what `npm test`'s summary needs — counts, and the failure messages as plain text —
 * to the file named by PICKY_RESULTS_FILE. Jest's own `--json` output serialises every failure's details and
 * throws on a circular one (an HTTP client's error holds its socket), which lost the whole suite's results.
 */
const fs = require('node:fs');
const path = require('node:path');

class ResultsReporter {
	onRunComplete(_contexts, results) {
		const file = process.env.PICKY_RESULTS_FILE;
		if (!file) return;
		const summary = {
			numPassedTests: results.numPassedTests,
			numFailedTests: results.numFailedTests,
			numPendingTests: results.numPendingTests,
			numTodoTests: results.numTodoTests,
			testResults: results.testResults.map((suite) => ({
				name: suite.testFilePath,
				status: suite.testExecError || suite.numFailingTests > 0 ? 'failed' : 'passed',
				message: suite.testExecError ? String(suite.testExecError.message) : '',
				assertionResults: suite.testResults.map((test) => ({
					status: test.status,
					failureMessages: test.failureMessages.map(String),
				})),
			})),
		};
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify(summary));
	}
}

module.exports = ResultsReporter;
