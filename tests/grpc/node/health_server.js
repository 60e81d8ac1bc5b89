// A gRPC server on gRPC for Node (@grpc/grpc-js) with the health service of
// the grpc-health-check package, for vigil's gRPC probe tests. Install its
// dependencies first: tests/grpc/install-node-deps.sh (npm ci).
//
//     node health_server.js [--listen 127.0.0.1:0 | --unix PATH] [--no-health]
//
// Prints "listening on ADDRESS", then reads "SERVICE STATUS" lines on stdin
// ("-" is the server's overall health; STATUS is SERVING, NOT_SERVING or
// UNKNOWN) and answers "ok" to each. Exits when stdin closes.
'use strict';

const grpc = require('@grpc/grpc-js');
const { HealthImplementation } = require('grpc-health-check');
const readline = require('readline');

const args = process.argv.slice(2);
const option = (name) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
};
const unixPath = option('--unix');
const listen = option('--listen') || '127.0.0.1:0';

const server = new grpc.Server();
const health = new HealthImplementation({ '': 'SERVING' });
if (!args.includes('--no-health'))
    health.addToServer(server);

const target = unixPath ? 'unix:' + unixPath : listen;
server.bindAsync(target, grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
        console.error('health_server.js:', error.message);
        process.exit(1);
    }
    const host = listen.slice(0, listen.lastIndexOf(':'));
    console.log('listening on ' + (unixPath ? unixPath : host + ':' + port));
});

const input = readline.createInterface({ input: process.stdin });
input.on('line', (line) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 2 || !['SERVING', 'NOT_SERVING', 'UNKNOWN'].includes(fields[1])) {
        console.log('error: expected SERVICE STATUS');
        return;
    }
    health.setStatus(fields[0] === '-' ? '' : fields[0], fields[1]);
    console.log('ok');
});
input.on('close', () => {
    server.forceShutdown();
    process.exit(0);
});
