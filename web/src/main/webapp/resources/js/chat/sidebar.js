// The sidebar: the caller's conversations (page by page, filtered by title), search in their
// messages, rename and delete, export and import. What it needs of the chat (the open
// conversation, opening one, a new chat, the error banner) comes in as {@code chat}.

/**
 * The sidebar, wired to the page's elements. {@code env}: {@code $}, {@code t}, the formats
 * {@code dates} and {@code numbers}, the API's {@code call} and {@code request}, {@code describe}
 * (a translated failure); {@code chat}: {@code current()}, {@code renamed(conversation)},
 * {@code open(id, messageId)}, {@code startNew()}, {@code showBanner(error)}.
 */
export function conversationSidebar({ $, t, dates, numbers, call, request, describe }, chat) {
  const currentId = () => chat.current()?.id;

// ---------------------------------------------------------------- conversations (sidebar)

const list = $("conversations");
const listStatus = $("conversations-status");
const filter = $("conversation-filter");
let listCursor = null;
let listDone = false;
let listLoad = null;
let listGeneration = 0;

/** The next page of conversations (the first again after {@code reset}, e.g. a new filter). */
function loadConversations(reset) {
  if (reset) {
    listGeneration++;
    listCursor = null;
    listDone = false;
    listLoad = null;
    list.replaceChildren();
  }
  if (listLoad || listDone) {
    return listLoad;
  }
  const generation = listGeneration;
  listStatus.textContent = t("loading");
  listStatus.classList.add("busy");
  listLoad = (async () => {
    const query = new URLSearchParams({ limit: "30" });
    if (listCursor) {
      query.set("cursor", listCursor);
    }
    if (filter.value.trim()) {
      query.set("q", filter.value.trim());
    }
    try {
      const page = await call("GET", "/conversations?" + query);
      if (generation !== listGeneration) {
        return;
      }
      page.items.forEach((conversation) => list.appendChild(conversationItem(conversation)));
      listCursor = page.next || null;
      listDone = !listCursor;
      listStatus.textContent = list.children.length ? "" : filter.value.trim() ? t("noMatches") : t("noConversations");
    } catch (e) {
      if (generation === listGeneration) {
        listStatus.textContent = describe(e);
        listDone = true;
      }
    }
  })().finally(() => {
    if (generation === listGeneration) {
      listStatus.classList.remove("busy");
      listLoad = null;
      // a list that does not fill the sidebar yet cannot be scrolled to load more
      if (!listDone && sidebar.scrollHeight <= sidebar.clientHeight + 80) {
        loadConversations(false);
      }
    }
  });
  return listLoad;
}

function conversationItem(conversation) {
  const item = document.createElement("li");
  item.className = "conversation";
  item.dataset.id = conversation.id;
  const open = document.createElement("button");
  open.type = "button";
  open.className = "open";
  open.textContent = conversation.title;
  open.title = dates.format(new Date(conversation.updatedAt));
  open.addEventListener("click", () => chat.open(conversation.id));
  const rename = iconButton("pi-pencil", t("rename"), "rename");
  rename.addEventListener("click", () => renameConversation(conversation.id));
  const remove = iconButton("pi-trash", t("delete"), "delete");
  remove.addEventListener("click", () => deleteConversation(conversation.id));
  item.append(open, rename, remove);
  if (currentId() === conversation.id) {
    item.classList.add("current");
  }
  return item;
}

function iconButton(icon, label, className) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "action icon " + className;
  button.title = label;
  button.setAttribute("aria-label", label);
  const glyph = document.createElement("i");
  glyph.className = "pi " + icon;
  button.appendChild(glyph);
  return button;
}

function itemOf(id) {
  return list.querySelector('li[data-id="' + Number(id) + '"]');
}

/** Shows a conversation's new title and moves it to the top (most recently active first). */
function touchConversation(conversation) {
  const existing = itemOf(conversation.id);
  const item = conversationItem(conversation);
  if (existing) {
    existing.remove();
  }
  list.prepend(item);
  listStatus.textContent = "";
  markCurrent();
}

function markCurrent() {
  const current = chat.current();
  $("export-conversation").hidden = !current;
  list.querySelectorAll("li.current").forEach((li) => li.classList.remove("current"));
  if (current) {
    itemOf(current.id)?.classList.add("current");
    $("conversation-title").textContent = current.title;
  } else {
    $("conversation-title").textContent = t("new");
  }
}

// ---------------------------------------------------------------- search in messages

const searchResults = $("search-results");
const searchHits = $("search-hits");
const searchStatus = $("search-status");
const searchMore = $("search-more");
let searchNext = null;
let searchGeneration = 0;

/** Messages with every word of the filter, newest first ({@code more}: the next page). */
async function searchMessages(more) {
  const q = filter.value.trim();
  const generation = more ? searchGeneration : ++searchGeneration;
  if (!more) {
    searchHits.replaceChildren();
    searchNext = null;
  }
  searchResults.hidden = !q;
  searchMore.hidden = true;
  if (!q) {
    return;
  }
  searchStatus.textContent = t("loading");
  searchStatus.classList.add("busy");
  try {
    const query = new URLSearchParams({ q, limit: "20" });
    if (more && searchNext) {
      query.set("before", searchNext);
    }
    const page = await call("GET", "/search?" + query);
    if (generation !== searchGeneration) {
      return;
    }
    page.messages.forEach((hit) => searchHits.appendChild(searchHit(hit)));
    searchNext = page.next ?? null;
    searchMore.hidden = searchNext === null;
    searchStatus.textContent = searchHits.children.length ? "" : t("searchNothing");
  } catch (e) {
    if (generation === searchGeneration) {
      searchStatus.textContent = describe(e);
    }
  } finally {
    if (generation === searchGeneration) {
      searchStatus.classList.remove("busy");
    }
  }
}

/** A found message: its conversation, the snippet with the words marked (text nodes only). */
function searchHit(hit) {
  const item = document.createElement("li");
  item.className = "search-hit";
  const open = document.createElement("button");
  open.type = "button";
  open.className = "open";
  const title = document.createElement("span");
  title.className = "hit-title";
  title.textContent = hit.conversationTitle;
  const when = document.createElement("span");
  when.className = "hit-date";
  when.textContent = dates.format(new Date(hit.createdAt));
  const snippet = document.createElement("span");
  snippet.className = "hit-snippet";
  let at = 0;
  const text = hit.snippet;
  snippet.append(hit.cutBefore ? "…" : "");
  hit.highlights.forEach(([start, end]) => {
    snippet.append(text.slice(at, start));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(start, end);
    snippet.append(mark);
    at = end;
  });
  snippet.append(text.slice(at) + (hit.cutAfter ? "…" : ""));
  open.append(title, when, snippet);
  open.addEventListener("click", () => chat.open(hit.conversationId, hit.messageId));
  item.appendChild(open);
  return item;
}

searchMore.addEventListener("click", () => searchMessages(true));

// ---------------------------------------------------------------- export and import

/** Downloads what the API answers as a file (the call needs the access token, a link cannot). */
async function download(path, fallbackName) {
  try {
    const response = await request("GET", path);
    const disposition = response.headers.get("content-disposition") || "";
    // the full name (RFC 5987) before the plain ASCII one
    const full = (disposition.match(/filename\*=UTF-8''([^;]+)/i) || [])[1];
    const name = (full && decodeURIComponent(full)) || (disposition.match(/filename="([^"]+)"/) || [])[1] || fallbackName;
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    chat.showBanner(e);
  }
}

$("export-conversation").addEventListener("click", () => $("export-dialog").showModal());
$("export-dialog").addEventListener("close", () => {
  const format = $("export-dialog").returnValue;
  const current = chat.current();
  if (current && (format === "markdown" || format === "json")) {
    download("/conversations/" + current.id + "/export?format=" + format, "conversation." + (format === "json" ? "json" : "md"));
  }
});
$("export-all").addEventListener("click", () => download("/conversations/export?format=json", "conversations.json"));
$("import-file").addEventListener("click", () => $("import-input").click());
$("import-input").addEventListener("change", async () => {
  const file = $("import-input").files[0];
  $("import-input").value = "";
  if (!file) {
    return;
  }
  listStatus.textContent = t("loading");
  try {
    const made = await call("POST", "/conversations/import", JSON.parse(await file.text()));
    await loadConversations(true);
    listStatus.textContent = t("imported", numbers.format(made.conversations), numbers.format(made.messages));
  } catch (e) {
    listStatus.textContent = t("importFailed", e instanceof SyntaxError ? e.message : describe(e));
  }
});

let filterTimer;
filter.addEventListener("input", () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    loadConversations(true);
    searchMessages(false);
  }, 300);
});
const sidebar = $("sidebar");
sidebar.addEventListener("scroll", () => {
  if (sidebar.scrollHeight - sidebar.scrollTop - sidebar.clientHeight < 80) {
    loadConversations(false);
  }
});

async function renameConversation(id) {
  const conversation = await call("GET", "/conversations/" + id).catch(chat.showBanner);
  if (!conversation) {
    return;
  }
  const input = $("rename-input");
  input.value = conversation.title;
  const dialog = $("rename-dialog");
  dialog.returnValue = "";
  dialog.showModal();
  input.select();
  dialog.addEventListener(
    "close",
    async () => {
      if (dialog.returnValue !== "ok" || !input.value.trim()) {
        return;
      }
      try {
        const renamed = await call("PATCH", "/conversations/" + id, { title: input.value.trim() });
        if (currentId() === id) {
          chat.renamed(renamed);
        }
        const item = itemOf(id);
        if (item) {
          item.replaceWith(conversationItem(renamed));
        }
        markCurrent();
      } catch (e) {
        chat.showBanner(e);
      }
    },
    { once: true }
  );
}

function deleteConversation(id) {
  const item = itemOf(id);
  $("confirm-text").textContent = t("confirmDelete", item ? item.querySelector(".open").textContent : "");
  const dialog = $("confirm-dialog");
  dialog.returnValue = "";
  dialog.showModal();
  dialog.addEventListener(
    "close",
    async () => {
      if (dialog.returnValue !== "ok") {
        return;
      }
      try {
        await call("DELETE", "/conversations/" + id);
        itemOf(id)?.remove();
        if (currentId() === id) {
          chat.startNew();
        }
        if (!list.children.length) {
          listStatus.textContent = t("noConversations");
        }
      } catch (e) {
        chat.showBanner(e);
      }
    },
    { once: true }
  );
}

$("rename-cancel").addEventListener("click", () => $("rename-dialog").close("cancel"));

  return { loadConversations, touchConversation, markCurrent, iconButton, download };
}
