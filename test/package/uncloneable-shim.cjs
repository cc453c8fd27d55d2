// cdktn-cli 0.24 declares Node >= 22.19 and bundles undici 8, which marks objects with
// worker_threads.markAsUncloneable (Node 22.10+). On Node 20 the consumer test preloads this no-op
// (the mark only stops structured cloning) so `cdktn synth` runs; on Node 22.19+ it is not loaded.
const workerThreads = require('node:worker_threads');
if (typeof workerThreads.markAsUncloneable !== 'function') workerThreads.markAsUncloneable = () => {};
