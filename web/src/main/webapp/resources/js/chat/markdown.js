// Model output is untrusted: markdown rendered to HTML (marked), sanitized (DOMPurify: no images,
// scripts, styles, forms or frames; links only http(s) and mailto, opened apart) before it reaches
// the DOM, code highlighted (highlight.js). A streaming reply is rendered block by block
// (StreamingMarkdown): the work per piece does not grow with the reply.

let translate = (key) => key;

/** Sets the libraries up once; {@code t} translates the copy buttons' labels. */
export function configureRenderer(t) {
  translate = t;
  marked.use({
    gfm: true,
    breaks: true,
    renderer: {
      // images from model output would be fetched from anywhere: show them as links instead
      image({ href, text }) {
        return '<a href="' + escapeText(href || "") + '">' + escapeText(text || href || "") + "</a>";
      },
    },
  });

  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A") {
      const href = node.getAttribute("href") || "";
      if (!SAFE_LINK.test(href.trim())) {
        node.removeAttribute("href");
      } else {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer nofollow");
      }
    }
  });
  hljs.configure({ ignoreUnescapedHTML: true });
}

const SAFE_LINK = /^(?:https?:|mailto:)/i;

const PURIFY = {
  ALLOWED_URI_REGEXP: SAFE_LINK,
  FORBID_TAGS: ["style", "img", "svg", "math", "form", "input", "button", "textarea", "select", "iframe", "object", "embed", "video", "audio", "source", "link", "meta", "base"],
  FORBID_ATTR: ["style", "srcset", "action", "formaction", "xlink:href"],
  ALLOW_DATA_ATTR: false,
};

function escapeText(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Markdown → HTML → sanitized DOM in {@code target}; code highlighted, each block with a copy button. */
export function renderMarkdown(target, markdown) {
  target.innerHTML = DOMPurify.sanitize(marked.parse(markdown || ""), PURIFY);
  finishCode(target);
}

/**
 * Runs the renderer once on a sample while the page is idle: the first reply would otherwise pay
 * for compiling marked, DOMPurify and highlight.js (a task of 40-50 ms as its first piece came).
 */
export function warmUpRenderer() {
  const steps = [
    () => marked.parse("# a\n\n- *b* **c** `d`\n\n| e | f |\n|---|---|\n| 1 | 2 |\n\n> g [h](https://x)"),
    () => DOMPurify.sanitize("<p><a href='https://x'>a</a><em>b</em></p><table><tr><td>c</td></tr></table>", PURIFY),
    () => hljs.highlight("const a = [1, 2].map((x) => x * 2); // c", { language: "javascript" }),
    () => hljs.highlightAuto("def f(x):\n    return {'a': x}\n"),
  ];
  const idle = window.requestIdleCallback || ((run) => setTimeout(run, 50));
  const next = () => {
    const step = steps.shift();
    if (step) {
      try {
        step();
      } catch (e) {
        // a warm-up only: the real render reports its own failures
      }
      idle(next);
    }
  };
  idle(next);
}

/** Highlights the code blocks under {@code root} and gives each a copy button. */
export function finishCode(root) {
  root.querySelectorAll("pre > code").forEach((code) => {
    hljs.highlightElement(code);
    const copy = document.createElement("button");
    copy.type = "button";
    copy.className = "copy-code";
    copy.textContent = translate("copyCode");
    copy.addEventListener("click", () => copyText(code.textContent, copy));
    code.parentElement.classList.add("code-block");
    code.parentElement.appendChild(copy);
  });
}

/**
 * Where the finished blocks of streaming markdown end: after the last blank line outside a code
 * fence that a line starting flush left follows (so an indented continuation stays with its
 * block; the line may still be arriving). {@code from} is where the finished part ended before.
 */
export function finishedUpTo(text, from) {
  let boundary = from;
  let fence = null;
  let blank = false;
  for (let at = from; at < text.length; ) {
    const newline = text.indexOf("\n", at);
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(at, end);
    const next = end + 1;
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (marker && marker[1][0] === fence[0] && marker[1].length >= fence.length && !line.slice(marker[0].length).trim()) {
        fence = null;
      }
    } else {
      if (blank && line.trim() && !/^[ \t]/.test(line)) {
        boundary = at;
      }
      blank = !line.trim();
      if (marker) {
        fence = marker[1];
      }
    }
    at = next;
  }
  return boundary;
}

/**
 * A reply's markdown as it streams: the finished blocks are rendered once and kept, only the open
 * one at the end is rendered again for each new piece — the work per piece no longer grows with
 * the reply. Code is highlighted once its block is finished.
 */
export class StreamingMarkdown {
  constructor(target) {
    this.finished = document.createElement("div");
    this.open = document.createElement("div");
    this.finished.className = "stream-part";
    this.open.className = "stream-part typing";
    // the text of the finished blocks (joined a block at a time), and of the open block (the
    // pieces since, joined: the whole reply is never copied while it streams — a 100 KB reply
    // flattened at every frame fed garbage collector pauses of 40-75 ms, profiled)
    this.done = "";
    this.tail = "";
    this.rendered = false;
    target.replaceChildren(this.finished, this.open);
  }

  /** Adds the pieces that came since the last frame: blocks finished by them are rendered once. */
  push(pieces) {
    if (!pieces && this.rendered) {
      return;
    }
    this.tail += pieces;
    const upTo = finishedUpTo(this.tail, 0);
    if (upTo > 0) {
      const part = document.createElement("div");
      part.innerHTML = DOMPurify.sanitize(marked.parse(this.tail.slice(0, upTo)), PURIFY);
      finishCode(part);
      this.finished.append(...part.childNodes);
      this.done += this.tail.slice(0, upTo);
      this.tail = this.tail.slice(upTo);
    }
    this.open.innerHTML = DOMPurify.sanitize(marked.parse(this.tail), PURIFY);
    this.rendered = true;
  }

  /** Whether {@code text} goes on from what is finished here (the stored reply usually does). */
  continues(text) {
    return text.startsWith(this.done);
  }

  /**
   * The reply ended with this text: the open block rendered again only when it is not what the
   * last frame showed (the stored reply is usually what streamed), its code highlighted.
   */
  end(text) {
    const rest = text.slice(this.done.length);
    if (rest !== this.tail || !this.rendered) {
      this.tail = "";
      this.rendered = false;
      this.push(rest);
    }
    finishCode(this.open);
    this.open.classList.remove("typing");
  }
}

export async function copyText(text, button) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
    } else {
      // plain http on an intranet address: the clipboard API is not offered there
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    const label = button.textContent;
    button.textContent = translate("copied");
    setTimeout(() => (button.textContent = label), 1500);
  } catch (e) {
    button.textContent = translate("error.generic", e.message);
  }
}
