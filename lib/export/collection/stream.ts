/**
 * A web ReadableStream that pulls: the next piece is made only when the reader (the HTTP response
 * draining into its socket) asks for one, so a slow download never has the source run ahead of it.
 * A failure midway is logged and errors the stream, which aborts the response: the client sees a
 * broken download, never a file that looks complete. A cancelled download stops the source.
 */
export function pullStream(pieces: AsyncIterable<Uint8Array>, what: string): ReadableStream<Uint8Array> {
  const iterator = pieces[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await iterator.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          console.error(`[export] ${what} failed midway; the download is aborted:`, error);
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
