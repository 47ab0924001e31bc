// A reply's event stream (text/event-stream) read from a fetch body, event by event.

/**
 * The events of a text/event-stream body, as {event, data, id} (data parsed as JSON; id: the
 * event's id, or null).
 */
export async function* events(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let event = "message";
  let data = [];
  let id = null;
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
    let end;
    while ((end = buffer.search(/\r?\n/)) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer[end] === "\r" ? 2 : 1));
      if (line === "") {
        if (data.length) {
          yield { event, data: JSON.parse(data.join("\n")), id };
        }
        event = "message";
        data = [];
        id = null;
      } else if (line.startsWith("event:")) {
        event = line.slice(6).trim();
      } else if (line.startsWith("id:")) {
        id = line.slice(3).trim();
      } else if (line.startsWith("data:")) {
        data.push(line.slice(5).replace(/^ /, ""));
      }
    }
    if (done) {
      return;
    }
  }
}
