// Jest 30 takes the test timeout from the run's configuration only, never from a project's `testTimeout`: in a run
// of several projects each project sets its own here, from the PICKY_TEST_TIMEOUT of its config's `globals`.
if (globalThis.PICKY_TEST_TIMEOUT) jest.setTimeout(globalThis.PICKY_TEST_TIMEOUT);
