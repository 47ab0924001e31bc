// The chat page: conversations and messages through the REST API (chat/api.js), replies read token
// by token from their event stream (chat/stream.js), model output rendered as markdown and
// sanitized before it reaches the DOM (chat/markdown.js), the sidebar's conversations, search,
// export and import (chat/sidebar.js), attached files (chat/files.js); here the open
// conversation: its messages, the composer, presets and settings.
import { ApiError, apiClient } from "./chat/api.js";
import { events } from "./chat/stream.js";
import { StreamingMarkdown, configureRenderer, copyText, renderMarkdown, warmUpRenderer } from "./chat/markdown.js";
import { attachmentList, fileTray } from "./chat/files.js";
import { conversationSidebar } from "./chat/sidebar.js";

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
  function request(method, path, body, accept, headers) {
    return client.request(method, path, body, accept, accept ? streaming.abort.signal : undefined, headers);
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

  // ---------------------------------------------------------------- sidebar (chat/sidebar.js)

  const { loadConversations, touchConversation, markCurrent, iconButton, download } = conversationSidebar(
    { $, t, dates, numbers, call, request, describe },
    {
      current: () => current,
      renamed: (conversation) => {
        current = conversation;
      },
      open: (id, messageId) => openConversation(id, messageId),
      startNew: () => startNew(),
      showBanner: (error) => showBanner(error),
    },
  );

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

  /**
   * Opens a conversation at its newest messages, or scrolled to message {@code messageId}; a reply
   * still streaming at its end is followed live ({@code followStreaming} false: shown as stored).
   */
  async function openConversation(id, messageId, followStreaming = true) {
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
      const newest = messageList.lastElementChild;
      if (followStreaming && newest && newest.role === "assistant" && newest.dataset.status === "streaming") {
        attach(newest);
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
    const files = document.createElement("div");
    files.className = "message-files-slot";
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
    article.append(meta, reasoning, files, content, failure, actions);
    article.parts = { details, reasoning, reasoningText, files, content, failure, failureText, actions };
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
    if (message.attachments && message.attachments.length && !parts.files.firstChild) {
      parts.files.appendChild(attachmentList(message.attachments, { client, t, numbers, download }));
    }
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
      // only the pieces that came since the last frame: the whole text is not read while it grows
      if (!article.stream) {
        article.stream = new StreamingMarkdown(parts.content);
        article.stream.push(article.text);
      } else {
        article.stream.push(article.fresh || "");
      }
      article.fresh = "";
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

  function appendQuestion(text, files) {
    $("presets").hidden = true;
    $("greeting").hidden = true;
    const attachments = (files || []).map((entry) => ({ ...entry.stored, local: entry.local }));
    const question = messageElement({ role: "user", content: text, status: "complete", attachments });
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

  /** The open conversation's id; a new one is made first (from the chosen preset, if any). */
  async function ensureConversation() {
    if (!current) {
      const preset = pendingPreset ? { presetId: pendingPreset.id } : {};
      current = await call("POST", "/conversations", { model: modelPicker.value, ...pendingSettings, ...preset });
      pendingSettings = {};
      pendingPreset = null;
      touchConversation(current);
      history.replaceState(null, "", window.location.pathname + "?c=" + current.id);
    }
    return current.id;
  }

  const tray = fileTray({
    tray: $("file-tray"),
    client,
    t,
    numbers,
    conversation: ensureConversation,
    onError: (e, name) => showBanner(e, name),
    onChange: () => {
      $("send").disabled = streaming.active || models.length === 0 || tray.uploading();
    },
  });

  $("attach").addEventListener("click", () => $("attach-input").click());
  $("attach-input").addEventListener("change", () => {
    const files = Array.from($("attach-input").files);
    $("attach-input").value = "";
    hideBanner();
    tray.add(files);
  });
  const dropZone = $("chat-main");
  dropZone.addEventListener("dragover", (event) => {
    if (event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files")) {
      event.preventDefault();
      dropZone.classList.add("dropping");
    }
  });
  dropZone.addEventListener("dragleave", (event) => {
    if (!dropZone.contains(event.relatedTarget)) {
      dropZone.classList.remove("dropping");
    }
  });
  dropZone.addEventListener("drop", (event) => {
    dropZone.classList.remove("dropping");
    if (event.dataTransfer && event.dataTransfer.files.length && !streaming.active) {
      event.preventDefault();
      hideBanner();
      tray.add(event.dataTransfer.files);
    }
  });
  $("prompt").addEventListener("paste", (event) => {
    const files = event.clipboardData ? Array.from(event.clipboardData.files) : [];
    if (files.length) {
      // a screenshot pasted: attached, named by when it was taken
      event.preventDefault();
      tray.add(files.map((file) => (file.name && file.name !== "image.png" ? file : new File([file], "pasted-" + Date.now() + "." + (file.type.split("/")[1] || "png"), { type: file.type }))));
    }
  });

  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const prompt = $("prompt");
    const text = prompt.value.trim();
    if ((!text && !tray.ready()) || streaming.active || tray.uploading()) {
      return;
    }
    hideBanner();
    busy(true);
    try {
      await ensureConversation();
    } catch (e) {
      busy(false);
      showBanner(e);
      return;
    }
    prompt.value = "";
    const files = tray.take();
    const question = appendQuestion(text, files);
    const body = { content: text, clientMessageId: question.clientId };
    if (files.length) {
      body.attachmentIds = files.map((entry) => entry.id);
    }
    runStream("/conversations/" + current.id + "/messages", body, question, text, files);
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
    // its beginning only: a whole long reply is not scanned to announce 200 characters of it
    const text = (stored.content || "").slice(0, 400).replace(/\s+/g, " ").trim();
    $("announcer").textContent =
      stored.status === "complete" ? t("replyComplete", text.length > 200 ? text.slice(0, 200) + "…" : text) : "";
  }

  /** Pauses before taking a broken stream up again: 0.25 s, then twice as long each time, at most 4 s. */
  const RESUME_PAUSES = [250, 500, 1000, 2000, 4000, 4000, 4000, 4000];

  /**
   * Shows a reply's stream as it comes: from {@code first}, the response of the call that started
   * it, or (null) from the reply's first event (a page opened while the reply streams). When the
   * connection breaks before the end (a network blip), the stream is taken up again after the last
   * event read, at whichever server answers. {@code question}: the question element its message
   * event describes, or null. Resolves to "finished", "refused" (no longer to be taken up: the
   * stored reply shows what there is) or "broken".
   */
  async function follow(reply, question, conversationId, first) {
    let finished = false;
    let lastId = null;

    function show(event, data) {
      if (event === "message") {
        if (question) {
          update(question, data.question);
          question.classList.remove("pending");
        }
        // from the start: what the page showed of the reply as stored goes, the events tell it all
        reply.stream = null;
        reply.parts.content.replaceChildren();
        update(reply, data.reply);
      } else if (event === "delta") {
        reply.classList.remove("waiting");
        if (data.content) {
          reply.text += data.content;
          reply.fresh = (reply.fresh || "") + data.content;
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

    /** Reads a stream to its end; false when its connection broke first. */
    async function read(response) {
      try {
        for await (const { event, data, id } of events(response.body)) {
          if (id) {
            lastId = id;
          }
          show(event, data);
        }
      } catch (e) {
        if (e.name === "AbortError" || streaming.stopRequested) {
          throw e;
        }
        return false;
      }
      return true;
    }

    if (first) {
      await read(first);
    }
    let refused = false;
    for (const pause of first ? RESUME_PAUSES : [0, ...RESUME_PAUSES]) {
      if (finished || refused || !reply.dataset.id || streaming.stopRequested) {
        break;
      }
      reply.classList.add("waiting");
      await new Promise((resolve) => setTimeout(resolve, pause));
      try {
        const resumed = await request(
          "GET",
          "/conversations/" + conversationId + "/messages/" + reply.dataset.id + "/events",
          undefined,
          "text/event-stream",
          lastId ? { "Last-Event-ID": lastId } : {}
        );
        reply.classList.remove("waiting");
        await read(resumed);
      } catch (e) {
        if (e.name === "AbortError") {
          throw e;
        }
        refused = e.status >= 400;
      }
    }
    reply.classList.remove("waiting");
    return finished ? "finished" : refused ? "refused" : "broken";
  }

  function startStreaming(reply) {
    busy(true);
    streaming.abort = new AbortController();
    streaming.stopRequested = false;
    streaming.reply = reply;
    refreshActions();
  }

  function stopStreaming() {
    streaming.reply = null;
    busy(false);
    refreshActions();
  }

  async function runStream(path, body, question, typed, files) {
    const reply = messageElement({ role: "assistant", status: "streaming", model: modelPicker.value });
    reply.classList.add("waiting");
    messageList.appendChild(reply);
    startStreaming(reply);
    scrollToEnd();
    // the conversation as stored, once this page streams no more (it opens none while it streams)
    let reload = false;
    try {
      const ended = await follow(reply, question, current.id, await request("POST", path, body, "text/event-stream"));
      if (ended === "refused") {
        reload = true;
      } else if (ended === "broken") {
        throw new ApiError(0, { code: "network" });
      } else {
        refreshConversation();
      }
    } catch (e) {
      reply.classList.remove("waiting");
      if (e.status && e.status >= 400 && question && typed !== undefined) {
        // refused before anything was stored: the text goes back to the prompt, nothing lost
        question.remove();
        reply.remove();
        $("prompt").value = typed;
        if (files && files.length) {
          tray.restore(files);
        }
        showBanner(e);
      } else if (e.status && e.status >= 400) {
        reply.remove();
        showBanner(e);
        reload = true;
      } else if (e.name === "AbortError" || streaming.stopRequested) {
        reload = true;
      } else {
        update(reply, { role: "assistant", status: "failed", content: reply.text, id: reply.dataset.id, errorCode: e.code, error: e.message });
      }
    } finally {
      stopStreaming();
    }
    if (reload) {
      reloadCurrent();
    }
  }

  /**
   * A conversation opened while its newest reply still streams (the page reloaded, opened in
   * another tab or on another device): the reply's stream is read from its start and shown as it
   * grows, as if this page had asked for it; stop works as for a reply sent here.
   */
  async function attach(reply) {
    if (streaming.active || !current) {
      return;
    }
    const conversationId = current.id;
    startStreaming(reply);
    let ended;
    try {
      ended = await follow(reply, null, conversationId, null);
    } catch (e) {
      ended = "stopped";
    } finally {
      stopStreaming();
    }
    if (!current || current.id !== conversationId) {
      return;
    }
    if (ended === "finished") {
      refreshConversation();
    } else {
      // stopped, or no longer to be taken up: the conversation as stored (not attached again)
      await openConversation(conversationId, undefined, false);
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

  /** Shows a failure above the composer; {@code subject}: what failed (a file's name). */
  function showBanner(error, subject) {
    const banner = $("chat-banner") || createBanner();
    banner.querySelector(".error-text").textContent = (subject ? subject + ": " : "") + describe(error);
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
    warmUpRenderer();
  })();
})();
