// The benchmarks' load generators send their commands with this: a POST over node:http with kept-alive
// connections. They stand in for members' devices on other machines, but here they share the server's two
// cores, so what they spend per request is taken from the server: global fetch spent about a quarter of a
// core at 100 commands/s (WHATWG streams and promises around every request and answer).
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true });

/**
 * POSTs `body` to `url` and resolves with the answer's status and text. Rejects when no answer came
 * (a refused or broken connection, or one silent for `timeoutMs`): the caller counts that as a failure.
 */
export function post(url, headers, body, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      timeout: timeoutMs,
    });
    request.on('timeout', () => request.destroy(new Error(`silent for ${timeoutMs} ms`)));
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
      );
    });
    request.end(body);
  });
}
