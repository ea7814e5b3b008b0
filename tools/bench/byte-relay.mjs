// A TCP relay that only copies bytes, for the guard benchmark: what any extra hop costs here.
// Usage: node tools/bench/byte-relay.mjs LISTEN_PORT UPSTREAM_PORT
import net from 'node:net';

const [listenPort, upstreamPort] = process.argv.slice(2).map(Number);
net
  .createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    client.pipe(upstream).on('error', () => client.destroy());
    upstream.pipe(client).on('error', () => upstream.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  })
  .listen(listenPort, '127.0.0.1');
