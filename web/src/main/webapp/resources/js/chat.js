// The chat page: conversations and messages through the REST API (chat/api.js), replies read token
// by token from their event stream (chat/stream.js), model output rendered as markdown and
// sanitized before it reaches the DOM (chat/markdown.js); here the sidebar (conversations, search,
// presets, export and import) and the conversation's messages.
import { ApiError, apiClient } from "./chat/api.js";
import { events } from "./chat/stream.js";
import { StreamingMarkdown, configureRenderer, copyText, renderMarkdown } from "./chat/markdown.js";

(() => {
  "use strict";

  const root = document.getElementById("chat");
  if (!root) {
    return;
  }
  const texts = JSON.parse(root.dataset.texts);
  const api = root.dataset.api;
  const locale = root.dataset.locale || undefined;
  const $ = (id) => document.getElementById(id);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" });
  const numbers = new Intl.NumberFormat(locale);

  /** A translated text; {0}, {1} … replaced by the arguments. */
  function t(key, ...args) {
    const text = texts[key] ?? key;
    return text.replace(/\{(\d+)\}/g, (_, i) => (args[i] === undefined ? "" : String(args[i])));
  }

  configureRenderer(t);
  const client = apiClient(api, root.dataset.token);

  /** A call to the API; one that streams ({@code accept}) is aborted by Stop. */
  function request(method, path, body, accept) {
    return client.request(method, path, body, accept, accept ? streaming.abort.signal : undefined);
  }

  const call = client.call;

  /** A clear, translated sentence for a failure, with the server's words where we have none. */
  function describe(error) {
    const code = error.code || "generic";
    // a budget or rate limit says until when
    if (error.resetsAt && texts["error." + code + ".until"]) {
      return t("error." + code + ".until", dates.format(new Date(error.resetsAt)));
    }
    return texts["error." + code] ? t("error." + code) : t("error.generic", error.message || code);
  }

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
    open.addEventListener("click", () => openConversation(conversation.id));
    const rename = iconButton("pi-pencil", t("rename"), "rename");
    rename.addEventListener("click", () => renameConversation(conversation.id));
    const remove = iconButton("pi-trash", t("delete"), "delete");
    remove.addEventListener("click", () => deleteConversation(conversation.id));
    item.append(open, rename, remove);
    if (current && current.id === conversation.id) {
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
    open.addEventListener("click", () => openConversation(hit.conversationId, hit.messageId));
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
      const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || fallbackName;
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      showBanner(e);
    }
  }

  $("export-conversation").addEventListener("click", () => $("export-dialog").showModal());
  $("export-dialog").addEventListener("close", () => {
    const format = $("export-dialog").returnValue;
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
    const conversation = await call("GET", "/conversations/" + id).catch(showBanner);
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
          if (current && current.id === id) {
            current = renamed;
          }
          const item = itemOf(id);
          if (item) {
            item.replaceWith(conversationItem(renamed));
          }
          markCurrent();
        } catch (e) {
          showBanner(e);
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
          if (current && current.id === id) {
            startNew();
          }
          if (!list.children.length) {
            listStatus.textContent = t("noConversations");
          }
        } catch (e) {
          showBanner(e);
        }
      },
      { once: true }
    );
  }

  $("rename-cancel").addEventListener("click", () => $("rename-dialog").close("cancel"));

  // ---------------------------------------------------------------- models and settings

  const modelPicker = $("model");
  let models = [];

  /** Near the input, when a budget of the user's has less than 10 % left: how much, until when. */
  async function checkBudget() {
    const warning = $("budget-warning");
    try {
      const low = (await call("GET", "/users/me/budgets"))
        .filter((b) => b.period !== "MINUTE" && b.utilisation >= 0.9)
        .sort((a, b) => b.utilisation - a.utilisation)[0];
      warning.hidden = !low;
      if (low) {
        const left = [];
        if (low.tokensLeft !== null && low.tokensLeft !== undefined) {
          left.push(t("budget.tokens", numbers.format(low.tokensLeft)));
        }
        if (low.requestsLeft !== null && low.requestsLeft !== undefined) {
          left.push(t("budget.requests", numbers.format(low.requestsLeft)));
        }
        warning.textContent = t("budget.low", left.join(", "), dates.format(new Date(low.resetsAt)));
      }
    } catch (e) {
      warning.hidden = true;
    }
  }

  async function loadModels() {
    try {
      models = await call("GET", "/models");
    } catch (e) {
      showBanner(e);
      models = [];
    }
    fillModels(current ? current.model : root.dataset.defaultModel);
  }

  function fillModels(selected) {
    modelPicker.replaceChildren();
    models.forEach((model) => modelPicker.add(new Option(model.displayName || model.id, model.id)));
    if (selected && !models.some((model) => model.id === selected)) {
      modelPicker.add(new Option(t("unavailableModel", selected), selected));
    }
    if (selected) {
      modelPicker.value = selected;
    }
    const none = models.length === 0;
    $("send").disabled = none || streaming.active;
    if (none) {
      showBanner({ code: "no-models" });
    }
  }

  modelPicker.addEventListener("change", async () => {
    if (!current) {
      return;
    }
    try {
      current = await call("PATCH", "/conversations/" + current.id, { model: modelPicker.value });
    } catch (e) {
      showBanner(e);
      modelPicker.value = current.model;
    }
  });

  /** Settings chosen before the conversation exists: used when it is created. */
  let pendingSettings = {};
  /** The preset a new conversation starts from (null: none). */
  let pendingPreset = null;

  // ---------------------------------------------------------------- presets

  let presets = [];

  async function loadPresets() {
    try {
      presets = await call("GET", "/presets");
    } catch (e) {
      presets = [];
    }
    showPresets();
  }

  /** The presets to start a new conversation from, while it has no message. */
  function showPresets() {
    const cards = $("preset-cards");
    cards.replaceChildren();
    presets.forEach((preset) => {
      const card = document.createElement("div");
      card.className = "preset-card";
      const start = document.createElement("button");
      start.type = "button";
      start.className = "preset-start";
      const name = document.createElement("strong");
      name.textContent = preset.name;
      start.appendChild(name);
      if (preset.shared) {
        const badge = document.createElement("span");
        badge.className = "preset-badge";
        badge.textContent = t("presetShared");
        start.appendChild(badge);
      }
      if (preset.description) {
        const description = document.createElement("span");
        description.className = "preset-description";
        description.textContent = preset.description;
        start.appendChild(description);
      }
      start.addEventListener("click", () => choosePreset(preset));
      card.appendChild(start);
      if (!preset.shared) {
        const remove = iconButton("pi-times", t("presetDelete"), "preset-delete");
        remove.addEventListener("click", async () => {
          if (window.confirm(t("presetDeleteConfirm", preset.name))) {
            try {
              await call("DELETE", "/presets/" + preset.id);
              await loadPresets();
            } catch (e) {
              showBanner(e);
            }
          }
        });
        card.appendChild(remove);
      }
      cards.appendChild(card);
    });
    $("presets").hidden = !presets.length || !!current || !!pendingPreset || messageList.children.length > 0;
  }

  /** A new conversation from a preset: its model and settings, its greeting and suggestions. */
  function choosePreset(preset) {
    pendingPreset = preset;
    pendingSettings = { systemPrompt: preset.systemPrompt, temperature: preset.temperature, maxTokens: preset.maxTokens };
    fillModels(preset.model);
    $("conversation-title").textContent = preset.name;
    $("presets").hidden = true;
    $("empty-hint").hidden = true;
    showGreeting(preset);
    $("prompt").focus();
  }

  function showGreeting(preset) {
    const greeting = $("greeting");
    const suggestions = $("suggestions");
    suggestions.replaceChildren();
    if (!preset || (!preset.greeting && !(preset.suggestions || []).length)) {
      greeting.hidden = true;
      return;
    }
    renderMarkdown($("greeting-text"), preset.greeting || "");
    (preset.suggestions || []).forEach((text) => {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "suggestion";
      chip.textContent = text;
      chip.addEventListener("click", () => {
        $("prompt").value = text;
        $("composer").requestSubmit();
      });
      suggestions.appendChild(chip);
    });
    greeting.hidden = false;
  }

  $("save-preset").addEventListener("click", async () => {
    const name = $("preset-name").value.trim();
    if (!name) {
      $("preset-name").focus();
      return;
    }
    const temperature = $("temperature").value;
    const maxTokens = $("max-tokens").value;
    try {
      await call("POST", "/presets", {
        name,
        model: modelPicker.value,
        systemPrompt: $("system-prompt").value,
        temperature: temperature === "" ? null : Number(temperature),
        maxTokens: maxTokens === "" ? null : Number(maxTokens),
      });
      $("preset-name").value = "";
      $("settings-error").textContent = t("presetSaved", name);
      await loadPresets();
    } catch (e) {
      $("settings-error").textContent = describe(e);
    }
    $("settings-error").hidden = false;
  });

  $("open-settings").addEventListener("click", () => {
    const settings = current || pendingSettings;
    $("system-prompt").value = settings.systemPrompt || "";
    $("temperature").value = settings.temperature ?? "";
    $("max-tokens").value = settings.maxTokens ?? "";
    $("settings-error").hidden = true;
    $("settings-dialog").showModal();
  });
  $("settings-cancel").addEventListener("click", () => $("settings-dialog").close("cancel"));
  $("settings-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const temperature = $("temperature").value;
    const maxTokens = $("max-tokens").value;
    const settings = {
      systemPrompt: $("system-prompt").value,
      temperature: temperature === "" ? null : Number(temperature),
      maxTokens: maxTokens === "" ? null : Number(maxTokens),
    };
    if (!$("settings-form").reportValidity()) {
      return;
    }
    try {
      if (current) {
        current = await call("PATCH", "/conversations/" + current.id, settings);
      } else {
        pendingSettings = settings;
      }
      $("settings-dialog").close("save");
    } catch (e) {
      $("settings-error").textContent = describe(e);
      $("settings-error").hidden = false;
    }
  });

  // ---------------------------------------------------------------- messages

  const pane = $("message-pane");
  const messageList = $("message-list");
  const historyStatus = $("history-status");
  let current = null;
  let before = null;
  let historyLoading = false;
  let historyGeneration = 0;
  let stickToEnd = true;

  pane.addEventListener("scroll", () => {
    stickToEnd = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 48;
    $("jump-to-end").hidden = stickToEnd;
    if (pane.scrollTop < 80 && before !== null) {
      loadMessages(false);
    }
  });
  $("jump-to-end").addEventListener("click", () => {
    stickToEnd = true;
    scrollToEnd();
  });

  function scrollToEnd() {
    if (stickToEnd) {
      pane.scrollTop = pane.scrollHeight;
      $("jump-to-end").hidden = true;
    }
  }

  function startNew() {
    if (streaming.active) {
      return;
    }
    current = null;
    before = null;
    pendingSettings = {};
    pendingPreset = null;
    messageList.replaceChildren();
    historyStatus.textContent = "";
    $("empty-hint").hidden = false;
    showGreeting(null);
    showPresets();
    fillModels(root.dataset.defaultModel || (models[0] && models[0].id));
    markCurrent();
    history.replaceState(null, "", window.location.pathname);
    closeSidebarOnPhones();
    $("prompt").focus();
  }

  /** Opens a conversation at its newest messages, or scrolled to message {@code messageId}. */
  async function openConversation(id, messageId) {
    if (streaming.active) {
      return;
    }
    historyStatus.textContent = t("loading");
    historyStatus.classList.add("busy");
    try {
      const conversation = await call("GET", "/conversations/" + id);
      current = conversation;
      before = null;
      pendingPreset = null;
      messageList.replaceChildren();
      $("empty-hint").hidden = true;
      $("presets").hidden = true;
      showGreeting(null);
      fillModels(conversation.model);
      markCurrent();
      history.replaceState(null, "", window.location.pathname + "?c=" + id + (messageId ? "&m=" + messageId : ""));
      closeSidebarOnPhones();
      stickToEnd = true;
      await loadMessages(true);
      if (messageId) {
        await showMessage(id, messageId);
      }
    } catch (e) {
      historyStatus.textContent = "";
      showBanner(e);
    }
  }

  /** Loads older pages until the message is there, then scrolls it into view and marks it. */
  async function showMessage(conversationId, messageId) {
    const selector = 'article[data-id="' + Number(messageId) + '"]';
    for (let pages = 0; !messageList.querySelector(selector) && before !== null && pages < 100; pages++) {
      while (historyLoading) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (!current || current.id !== conversationId) {
        return;
      }
      await loadMessages(false);
    }
    const article = messageList.querySelector(selector);
    if (!article) {
      historyStatus.textContent = t("searchGone");
      return;
    }
    stickToEnd = false;
    article.scrollIntoView({ block: "center" });
    article.classList.add("found");
    setTimeout(() => article.classList.remove("found"), 4000);
  }

  /** The newest page first; older pages when the reader scrolls to the top. */
  async function loadMessages(newest) {
    if ((historyLoading && !newest) || (!newest && before === null) || !current) {
      return;
    }
    historyLoading = true;
    const conversationId = current.id;
    const generation = ++historyGeneration;
    historyStatus.textContent = t("loading");
    historyStatus.classList.add("busy");
    try {
      const query = new URLSearchParams({ limit: "30" });
      if (!newest) {
        query.set("before", before);
      }
      const page = await call("GET", "/conversations/" + conversationId + "/messages?" + query);
      if (generation !== historyGeneration) {
        return;
      }
      const previousHeight = pane.scrollHeight;
      const fragment = document.createDocumentFragment();
      page.items.forEach((message) => fragment.appendChild(messageElement(message)));
      messageList.prepend(fragment);
      refreshActions();
      before = page.before ?? null;
      $("empty-hint").hidden = messageList.children.length > 0;
      if (newest) {
        scrollToEnd();
        requestAnimationFrame(scrollToEnd);
      } else {
        pane.scrollTop += pane.scrollHeight - previousHeight;
      }
      historyStatus.textContent = before === null ? "" : t("olderOnScroll");
      if (before !== null && pane.scrollHeight <= pane.clientHeight + 80) {
        // too short to scroll: the reader could never ask for the older messages
        setTimeout(() => loadMessages(false));
      }
    } catch (e) {
      if (generation === historyGeneration) {
        historyStatus.textContent = describe(e);
      }
    } finally {
      if (generation === historyGeneration) {
        historyStatus.classList.remove("busy");
        historyLoading = false;
      }
    }
  }

  function messageElement(message) {
    const article = document.createElement("article");
    article.className = "message " + message.role;
    const meta = document.createElement("div");
    meta.className = "message-meta";
    const role = document.createElement("span");
    role.className = "role";
    role.textContent = message.role === "user" ? t("you") : message.model || t("assistant");
    const details = document.createElement("span");
    details.className = "details";
    meta.append(role, details);
    const reasoning = document.createElement("details");
    reasoning.className = "reasoning";
    const summary = document.createElement("summary");
    summary.textContent = t("reasoning");
    const reasoningText = document.createElement("div");
    reasoningText.className = "reasoning-text";
    reasoning.append(summary, reasoningText);
    const content = document.createElement("div");
    content.className = "content";
    const failure = document.createElement("div");
    failure.className = "message-error";
    const failureText = document.createElement("span");
    failureText.className = "error-text";
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "action retry";
    retry.textContent = t("retry");
    retry.addEventListener("click", () => regenerate(article));
    failure.append(failureText, retry);
    const actions = document.createElement("div");
    actions.className = "message-actions";
    article.append(meta, reasoning, content, failure, actions);
    article.parts = { details, reasoning, reasoningText, content, failure, failureText, actions };
    article.text = "";
    article.reasoningText = "";
    update(article, message);
    return article;
  }

  /** Shows a stored (or streaming) message as the server describes it. */
  function update(article, message) {
    // rendered here: a frame's render still queued for it would only do it again
    renderQueued.delete(article);
    article.dataset.id = message.id ?? "";
    article.dataset.status = message.status || "complete";
    article.role = message.role;
    article.text = message.content || "";
    article.reasoningText = message.reasoning || "";
    render(article);
    const parts = article.parts;
    const facts = [];
    if (message.createdAt) {
      facts.push(dates.format(new Date(message.createdAt)));
    }
    if (message.role === "assistant" && message.completionTokens) {
      const count = message.completionTokens;
      facts.push(t(count === 1 ? "token" : "tokens", numbers.format(count)));
    }
    if (message.status === "interrupted") {
      facts.push(t("stopped"));
    }
    parts.details.textContent = facts.join(" · ");
    const failed = message.status === "failed" || (message.status === "interrupted" && message.error);
    parts.failure.hidden = !failed;
    if (failed) {
      parts.failureText.textContent = describe({
        code: message.error && message.errorCode,
        message: message.error || "",
        resetsAt: message.resetsAt,
      });
    }
    actionsFor(article);
  }

  function render(article) {
    const parts = article.parts;
    if (article.role === "user") {
      parts.content.textContent = article.text;
    } else if (article.dataset.status === "streaming") {
      article.stream = article.stream || new StreamingMarkdown(parts.content);
      article.stream.show(article.text);
    } else if (article.stream && article.stream.continues(article.text)) {
      // the stored reply is what streamed: only the blocks not finished yet are left to render
      article.stream.end(article.text);
      article.stream = null;
    } else {
      article.stream = null;
      renderMarkdown(parts.content, article.text);
    }
    parts.reasoning.hidden = !article.reasoningText;
    parts.reasoningText.textContent = article.reasoningText;
  }

  let renderQueued = new Set();

  /** Renders streaming text at most once per frame, however fast the tokens come. */
  function renderSoon(article) {
    if (renderQueued.size === 0) {
      requestAnimationFrame(() => {
        renderQueued.forEach(render);
        renderQueued = new Set();
        scrollToEnd();
      });
    }
    renderQueued.add(article);
  }

  function actionsFor(article) {
    const actions = article.parts.actions;
    actions.replaceChildren();
    if (article.dataset.status === "streaming" || !article.dataset.id) {
      return;
    }
    const copy = iconButton("pi-copy", t("copy"), "copy");
    copy.addEventListener("click", () => copyText(article.text, copy));
    actions.appendChild(copy);
    if (article.role === "user") {
      const edit = iconButton("pi-pencil", t("edit"), "edit");
      edit.addEventListener("click", () => startEdit(article));
      actions.appendChild(edit);
    } else if (!article.nextElementSibling) {
      const again = iconButton("pi-refresh", t("regenerate"), "regenerate");
      again.addEventListener("click", () => regenerate(article));
      actions.appendChild(again);
    }
  }

  function refreshActions() {
    messageList.querySelectorAll("article.message").forEach(actionsFor);
  }

  function startEdit(article) {
    if (streaming.active || article.querySelector(".edit-box")) {
      return;
    }
    const box = document.createElement("div");
    box.className = "edit-box";
    const area = document.createElement("textarea");
    area.value = article.text;
    area.rows = Math.min(12, Math.max(2, article.text.split("\n").length));
    const save = document.createElement("button");
    save.type = "button";
    save.className = "action primary save-edit";
    save.textContent = t("editSend");
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "action cancel-edit";
    cancel.textContent = t("cancel");
    box.append(area, save, cancel);
    article.parts.content.hidden = true;
    article.appendChild(box);
    area.focus();
    cancel.addEventListener("click", () => {
      box.remove();
      article.parts.content.hidden = false;
    });
    save.addEventListener("click", () => {
      const text = area.value.trim();
      if (!text) {
        return;
      }
      box.remove();
      article.parts.content.hidden = false;
      const id = article.dataset.id;
      removeFrom(article);
      const question = appendQuestion(text);
      runStream("/conversations/" + current.id + "/messages/" + id + "/edit", { content: text, clientMessageId: question.clientId }, question);
    });
  }

  /** Removes a message and everything after it (the server replaced them). */
  function removeFrom(article) {
    while (article.nextElementSibling) {
      article.nextElementSibling.remove();
    }
    article.remove();
  }

  function appendQuestion(text) {
    $("presets").hidden = true;
    $("greeting").hidden = true;
    const question = messageElement({ role: "user", content: text, status: "complete" });
    question.clientId = newClientId();
    question.classList.add("pending");
    messageList.appendChild(question);
    $("empty-hint").hidden = true;
    stickToEnd = true;
    scrollToEnd();
    return question;
  }

  function newClientId() {
    return window.crypto && crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + Math.random().toString(36).slice(2);
  }

  function regenerate(article) {
    if (streaming.active || !current || !article.dataset.id) {
      return;
    }
    const id = article.dataset.id;
    removeFrom(article);
    runStream("/conversations/" + current.id + "/messages/" + id + "/regenerate", undefined, null);
  }

  // ---------------------------------------------------------------- sending and streaming

  const streaming = { active: false, abort: new AbortController(), reply: null, stopRequested: false };

  function busy(active) {
    streaming.active = active;
    $("send").hidden = active;
    $("stop").hidden = !active;
    $("stop").disabled = false;
    $("send").disabled = active || models.length === 0;
    $("new-conversation").disabled = active;
    root.classList.toggle("streaming", active);
  }

  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const prompt = $("prompt");
    const text = prompt.value.trim();
    if (!text || streaming.active) {
      return;
    }
    hideBanner();
    busy(true);
    if (!current) {
      try {
        const preset = pendingPreset ? { presetId: pendingPreset.id } : {};
        current = await call("POST", "/conversations", { model: modelPicker.value, ...pendingSettings, ...preset });
        pendingSettings = {};
        pendingPreset = null;
        touchConversation(current);
        history.replaceState(null, "", window.location.pathname + "?c=" + current.id);
      } catch (e) {
        busy(false);
        showBanner(e);
        return;
      }
    }
    prompt.value = "";
    const question = appendQuestion(text);
    runStream("/conversations/" + current.id + "/messages", { content: text, clientMessageId: question.clientId }, question, text);
  });

  $("prompt").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });

  $("stop").addEventListener("click", async () => {
    $("stop").disabled = true;
    streaming.stopRequested = true;
    const reply = streaming.reply;
    if (reply && reply.dataset.id && current) {
      try {
        await call("POST", "/conversations/" + current.id + "/messages/" + reply.dataset.id + "/stop");
        return; // the stream ends with its done event, the partial text kept
      } catch (e) {
        // fall through: cut the connection; the server keeps what came as interrupted
      }
    }
    streaming.abort.abort();
  });

  /**
   * Posts to a streaming call and shows the reply as it grows. {@code question} is the optimistic
   * question element (send, edit) or null (regenerate); {@code typed} the text to give back to the
   * prompt when the server refused it.
   */
  /** Tells screen readers that a reply is complete, with its beginning (once, not per piece). */
  function announce(stored) {
    const text = (stored.content || "").replace(/\s+/g, " ").trim();
    $("announcer").textContent =
      stored.status === "complete" ? t("replyComplete", text.length > 200 ? text.slice(0, 200) + "…" : text) : "";
  }

  async function runStream(path, body, question, typed) {
    busy(true);
    streaming.abort = new AbortController();
    streaming.stopRequested = false;
    const reply = messageElement({ role: "assistant", status: "streaming", model: modelPicker.value });
    reply.classList.add("waiting");
    messageList.appendChild(reply);
    streaming.reply = reply;
    refreshActions();
    scrollToEnd();
    let finished = false;
    try {
      const response = await request("POST", path, body, "text/event-stream");
      for await (const { event, data } of events(response.body)) {
        if (event === "message") {
          if (question) {
            update(question, data.question);
            question.classList.remove("pending");
          }
          update(reply, data.reply);
        } else if (event === "delta") {
          reply.classList.remove("waiting");
          if (data.content) {
            reply.text += data.content;
          }
          if (data.reasoning) {
            reply.reasoningText += data.reasoning;
          }
          renderSoon(reply);
        } else if (event === "error") {
          reply.lastError = data;
        } else if (event === "done") {
          finished = true;
          reply.classList.remove("waiting");
          const stored = data.reply || {};
          if (reply.lastError && stored.status !== "complete") {
            stored.errorCode = reply.lastError.code;
            stored.error = stored.error || reply.lastError.message;
            stored.resetsAt = reply.lastError.resetsAt;
          }
          update(reply, stored);
          announce(stored);
          checkBudget();
        }
      }
      if (!finished) {
        throw new ApiError(0, { code: "network" });
      }
      refreshConversation();
    } catch (e) {
      reply.classList.remove("waiting");
      if (e.status && e.status >= 400 && question && typed !== undefined) {
        // refused before anything was stored: the text goes back to the prompt, nothing lost
        question.remove();
        reply.remove();
        $("prompt").value = typed;
        showBanner(e);
      } else if (e.status && e.status >= 400) {
        reply.remove();
        showBanner(e);
        if (current) {
          reloadCurrent();
        }
      } else if (e.name === "AbortError" || streaming.stopRequested) {
        reloadCurrent();
      } else {
        update(reply, { role: "assistant", status: "failed", content: reply.text, id: reply.dataset.id, errorCode: e.code, error: e.message });
      }
    } finally {
      streaming.reply = null;
      busy(false);
      refreshActions();
    }
  }

  /** Shows the conversation as stored (after a cut connection, the partial reply is there). */
  async function reloadCurrent() {
    if (current) {
      const id = current.id;
      current = null;
      await openConversation(id);
    }
  }

  /**
   * The conversation as stored after a reply; while its title is still the first message's, again
   * a little later ({@code tries} times): the model names it after the first reply.
   */
  async function refreshConversation(tries = 6) {
    if (!current) {
      return;
    }
    const id = current.id;
    try {
      const fresh = await call("GET", "/conversations/" + id);
      if (!current || current.id !== id) {
        return;
      }
      current = fresh;
      touchConversation(current);
      if (current.titleSource === "message" && tries > 1) {
        setTimeout(() => {
          if (current && current.id === id && !streaming.active) {
            refreshConversation(tries - 1);
          }
        }, 1500);
      }
    } catch (e) {
      showBanner(e);
    }
  }

  // ---------------------------------------------------------------- feedback and layout

  function showBanner(error) {
    const banner = $("chat-banner") || createBanner();
    banner.querySelector(".error-text").textContent = describe(error);
    banner.hidden = false;
  }

  function createBanner() {
    const banner = document.createElement("div");
    banner.id = "chat-banner";
    banner.className = "banner";
    banner.setAttribute("role", "alert");
    const text = document.createElement("span");
    text.className = "error-text";
    const close = iconButton("pi-times", t("close"), "close");
    close.addEventListener("click", hideBanner);
    banner.append(text, close);
    $("composer").before(banner);
    return banner;
  }

  function hideBanner() {
    const banner = $("chat-banner");
    if (banner) {
      banner.hidden = true;
    }
  }

  function closeSidebarOnPhones() {
    root.classList.remove("sidebar-open");
  }

  $("toggle-sidebar").addEventListener("click", () => root.classList.toggle("sidebar-open"));
  $("new-conversation").addEventListener("click", startNew);

  // ---------------------------------------------------------------- start

  (async () => {
    await loadModels();
    checkBudget();
    loadPresets();
    const address = new URLSearchParams(window.location.search);
    const wanted = address.get("c");
    const message = address.get("m");
    await loadConversations(true);
    if (wanted && /^\d+$/.test(wanted)) {
      await openConversation(Number(wanted), message && /^\d+$/.test(message) ? Number(message) : undefined);
    } else {
      startNew();
    }
    root.classList.add("ready");
  })();
})();
