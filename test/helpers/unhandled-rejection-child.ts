// Run as its own process by test/process/process-guard.test.ts: a rejection nobody handles,
// inside a request's scope, must be logged with that request's id and counted, and the process
// must go on.
import { createLogger } from '../../src/logger.js';
import { exchangeScope } from '../../src/request-id.js';
import { keepServingOnUnhandledRejection } from '../../src/unhandled-rejections.js';

let counted = 0;
keepServingOnUnhandledRejection(createLogger('info'), () => {
  counted += 1;
});
exchangeScope.run({ requestId: 'req-7' }, () => {
  setTimeout(() => {
    void Promise.reject(new Error('a bug nobody caught'));
  }, 10);
});
setTimeout(() => {
  console.log(JSON.stringify({ alive: true, counted }));
}, 200);
