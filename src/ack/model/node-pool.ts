// The import path the rest of the gateway uses; the tables live in one file per block in ./node-pool/.
export * from './node-pool/index.js';
