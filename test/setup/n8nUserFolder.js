// n8n-core keeps an encryption key in $N8N_USER_FOLDER/.n8n/config, by default the user's own n8n folder: each test
// file gets a folder of its own instead (jest isolates modules, so n8n-core reads these afresh), removed after it.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-jest-n8n-'));
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_ENCRYPTION_KEY = 'picky-test-encryption-key-not-secret';
afterAll(() => fs.rmSync(userFolder, { recursive: true, force: true }));
