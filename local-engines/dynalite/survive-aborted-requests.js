// Loaded into dynalite with `node --require` (local runs, tests and the docker-compose image).
//
// dynalite 4.0.0's request handler rethrows every error of the incoming request (index.js:
// `req.on('error', function (err) { throw err })`). When a client dies while its request body is on the way
// (a service killed mid-write, as the crash tests do and as any outage does), Node raises `Error: aborted`
// (code ECONNRESET) on that request, the rethrow is uncaught and the whole engine exits, taking every other
// client's tables offline. DynamoDB itself just drops such a request. So does this hook: it logs the aborted
// request and keeps serving; any other uncaught error still ends the process, as it would without the hook.
'use strict'

process.on('uncaughtException', function (err) {
  if (err && err.code === 'ECONNRESET' && err.message === 'aborted') {
    console.error(new Date().toISOString() + ' a client aborted its request mid-body; request dropped')
    return
  }
  console.error(err)
  process.exit(1)
})
