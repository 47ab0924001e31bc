// Files attached to messages: the composer's tray (each file uploaded as soon as it is chosen,
// dropped or pasted, and removable until it is sent) and the files shown with a sent message (a
// download chip each; images also as thumbnails, fetched with the access token).

const KB = 1024;

/** A size as people read it: 812 B, 14 KB, 3.2 MB. */
export function formatSize(bytes, numbers) {
  if (bytes < KB) {
    return numbers.format(bytes) + " B";
  }
  if (bytes < KB * KB) {
    return numbers.format(Math.round(bytes / KB)) + " KB";
  }
  return numbers.format(Math.round((bytes / KB / KB) * 10) / 10) + " MB";
}

function chip(name, detail, icon) {
  const element = document.createElement("span");
  element.className = "file-chip";
  const symbol = document.createElement("i");
  symbol.className = "pi " + icon;
  symbol.setAttribute("aria-hidden", "true");
  const label = document.createElement("span");
  label.className = "file-name";
  label.textContent = name;
  const facts = document.createElement("span");
  facts.className = "file-detail";
  facts.textContent = detail;
  element.append(symbol, label, facts);
  return element;
}

/**
 * The composer's tray. {@code conversation()} gives the conversation to upload into (made first
 * when there is none yet); {@code onError} shows a refusal.
 */
export function fileTray({ tray, client, t, numbers, conversation, onError, onChange }) {
  let entries = [];

  function changed() {
    tray.hidden = entries.length === 0;
    onChange();
  }

  async function upload(file) {
    const entry = { name: file.name || "file", size: file.size, local: file, id: null };
    entry.element = chip(entry.name, t("uploading"), "pi-spin pi-spinner");
    entry.element.classList.add("uploading");
    entries.push(entry);
    tray.appendChild(entry.element);
    changed();
    try {
      const id = await conversation();
      const stored = await client.upload("/conversations/" + id + "/attachments?name=" + encodeURIComponent(entry.name), file);
      entry.id = stored.id;
      entry.stored = stored;
      entry.element.replaceWith(trayChip(entry));
    } catch (e) {
      entries = entries.filter((other) => other !== entry);
      entry.element.remove();
      onError(e, entry.name);
    }
    changed();
  }

  function trayChip(entry) {
    const stored = entry.stored;
    const element = chip(
      entry.name,
      formatSize(stored.size, numbers) + " · " + t("fileTokens", numbers.format(stored.tokens)),
      stored.kind === "image" ? "pi-image" : "pi-file",
    );
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "file-remove";
    remove.setAttribute("aria-label", t("removeFile", entry.name));
    remove.title = t("removeFile", entry.name);
    remove.innerHTML = '<i class="pi pi-times" aria-hidden="true"></i>';
    remove.addEventListener("click", async () => {
      entries = entries.filter((other) => other !== entry);
      element.remove();
      changed();
      try {
        await client.call("DELETE", "/conversations/" + stored.conversationId + "/attachments/" + stored.id);
      } catch (e) {
        // gone already (or sent): nothing to undo; an unsent file is removed after a day anyway
      }
    });
    element.appendChild(remove);
    entry.element = element;
    return element;
  }

  return {
    /** Uploads the files (a FileList or an array), one after another. */
    async add(files) {
      for (const file of Array.from(files)) {
        await upload(file);
      }
    },
    /** Whether a file is still on its way up. */
    uploading() {
      return entries.some((entry) => entry.id === null);
    },
    /** Whether files wait to be sent. */
    ready() {
      return entries.length > 0 && !this.uploading();
    },
    /** Takes the files to send: their ids and what the sent message shows of them. */
    take() {
      const taken = entries;
      entries = [];
      tray.replaceChildren();
      changed();
      return taken;
    },
    /** Puts back files that were not sent after all (the send was refused). */
    restore(taken) {
      for (const entry of taken) {
        entries.push(entry);
        tray.appendChild(entry.element);
      }
      changed();
    },
    /** Forgets the files (another conversation opened: they stay there, unsent, for a day). */
    clear() {
      entries = [];
      tray.replaceChildren();
      changed();
    },
  };
}

/**
 * The files of a message: {@code files} as the API lists them ({@code local}: the File itself, for a
 * message just sent). Images show as thumbnails; every chip downloads its file.
 */
export function attachmentList(files, { client, t, numbers, download }) {
  const box = document.createElement("div");
  box.className = "message-files";
  for (const file of files) {
    const item = document.createElement("button");
    item.type = "button";
    item.className = "file-item";
    const path = "/conversations/" + file.conversationId + "/attachments/" + file.id;
    item.title = t("downloadFile", file.name);
    if (file.kind === "image") {
      const image = document.createElement("img");
      image.className = "file-thumbnail";
      image.alt = file.name;
      image.loading = "lazy";
      item.appendChild(image);
      thumbnail(image, file, path, client);
    }
    item.appendChild(chip(file.name, formatSize(file.size, numbers), file.kind === "image" ? "pi-image" : "pi-file"));
    item.addEventListener("click", () => download(path, file.name));
    box.appendChild(item);
  }
  return box;
}

async function thumbnail(image, file, path, client) {
  try {
    const blob = file.local || (await (await client.request("GET", path, undefined, "image/*")).blob());
    const url = URL.createObjectURL(blob);
    image.addEventListener("load", () => URL.revokeObjectURL(url), { once: true });
    image.src = url;
  } catch (e) {
    image.remove();
  }
}
