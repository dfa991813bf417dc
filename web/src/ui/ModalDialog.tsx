// A bot's form (Discord's modal): its title, the application's name, text fields (one line or a paragraph,
// with their lengths, placeholders and prefilled values). Submitting sends a modal interaction with the values
// (`state/interactions.ts`) and the form closes once the application answers; "did not respond" shows in it
// otherwise. Cancel (or Escape, or a click outside) just closes it. `BotForm` (in App.tsx) shows the open one.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ComponentType, type ModalCreate, type TextInput } from '../api/types';
import { closeModal, interactions, submitModal } from '../state/interactions';
import { useStore, userById } from '../state/store';
import { Avatar } from './Avatar';

function fieldsOf(modal: ModalCreate): TextInput[] {
  return modal.components.flatMap((row) =>
    (row.components ?? []).filter((c): c is TextInput => c.type === ComponentType.TextInput),
  );
}

export function ModalDialog({ modal }: { modal: ModalCreate }) {
  useStore();
  const fields = fieldsOf(modal);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.custom_id, f.value ?? ''])),
  );
  const first = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        closeModal();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKey, { capture: true });
      previous?.focus?.();
    };
  }, []);
  const sending = interactions.modalSending !== null;
  const bot = userById(modal.application.id);
  return (
    <div class="modal-backdrop" onClick={() => !sending && closeModal()}>
      <div class="dialog modal-form" role="dialog" aria-modal="true" aria-label={modal.title} onClick={(e) => e.stopPropagation()}>
        <form
          class="dialog-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!sending) submitModal(values);
          }}
        >
          <div class="modal-app">
            {bot && <Avatar user={bot} size={24} />}
            <span>{modal.application.name}</span>
          </div>
          <h2>{modal.title}</h2>
          {fields.map((f, i) => {
            const common = {
              name: f.custom_id,
              value: values[f.custom_id] ?? '',
              placeholder: f.placeholder,
              required: f.required ?? true,
              minLength: f.min_length,
              maxLength: f.max_length,
              onInput: (e: { currentTarget: { value: string } }) => {
                const value = e.currentTarget.value;
                setValues((old) => ({ ...old, [f.custom_id]: value }));
              },
            };
            return (
              <label key={f.custom_id} class="stack">
                {f.label}
                {f.style === 2 ? (
                  <textarea ref={i === 0 ? first : undefined} rows={4} {...common} />
                ) : (
                  <input ref={i === 0 ? first : undefined} type="text" {...common} />
                )}
              </label>
            );
          })}
          {interactions.modalError && (
            <p class="modal-error" role="alert">
              {interactions.modalError}
            </p>
          )}
          <div class="dialog-buttons">
            <button type="button" class="secondary" onClick={closeModal}>
              Cancel
            </button>
            <button type="submit" disabled={sending}>
              {sending ? 'Submitting…' : 'Submit'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

/** The form a bot asked for, if one is open. */
export function BotForm() {
  useStore();
  const modal = interactions.modal;
  return modal ? <ModalDialog key={modal.id} modal={modal} /> : null;
}
