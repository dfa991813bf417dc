// Small confirmations in the page (never the browser's own prompt boxes): deleting a message, naming a thread.

import { useEffect, useRef, useState } from 'preact/hooks';
import { Markdown } from '../markdown/render';
import { remove, startThread } from '../state/actions';
import { displayName, update, useStore } from '../state/store';

function close() {
  update((s) => {
    s.dialog = null;
  });
}

export function Dialogs() {
  const s = useStore();
  const dialog = s.dialog;
  const [name, setName] = useState('');
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null);
  useEffect(() => {
    if (dialog?.kind === 'thread') setName(dialog.message.content.split('\n')[0].slice(0, 40) || 'New thread');
    first.current?.focus();
  }, [dialog]);
  if (!dialog) return null;
  const { message } = dialog;
  const title = dialog.kind === 'delete' ? 'Delete message' : 'Create thread';
  return (
    <div class="modal-backdrop" onClick={close}>
      <div class="dialog" role="dialog" aria-modal="true" aria-label={title} onClick={(e) => e.stopPropagation()}>
      <form
        class="dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          close();
          if (dialog.kind === 'delete') void remove(message);
          else if (name.trim()) void startThread(message, name.trim());
        }}
      >
        <h2>{title}</h2>
        {dialog.kind === 'delete' && <p>Are you sure you want to delete this message?</p>}
        <div class="dialog-quote">
          <strong>{displayName(message.author.id, message.author)}</strong>
          <Markdown
            source={message.content.slice(0, 300) || (message.attachments[0]?.filename ?? '')}
            mentions={message.mentions}
          />
        </div>
        {dialog.kind === 'thread' && (
          <label class="stack">
            Thread name
            <input ref={first} value={name} maxLength={100} required onInput={(e) => setName(e.currentTarget.value)} />
          </label>
        )}
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={close}>
            Cancel
          </button>
          {dialog.kind === 'delete' ? (
            <button ref={first} type="submit" class="danger">
              Delete
            </button>
          ) : (
            <button type="submit">Create thread</button>
          )}
        </div>
      </form>
      </div>
    </div>
  );
}
