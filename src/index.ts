import { run } from './action/main.js';
import { isScanWorker, serveScanWorker } from './parallel.js';

// The same bundle serves as the scan's worker threads (see parallel.ts).
if (isScanWorker()) serveScanWorker();
else await run({ script: new URL(import.meta.url) });
