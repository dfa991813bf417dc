// The command being filled in, in place of the composer's text box: `/name` with its options as fields, the
// required ones first, the optional ones added with a tap. Each field fits its type: text; numbers checked
// against their bounds; true/false; a choice from the option's choices; people, roles and channels from the
// store; choices the application suggests as one types (autocomplete, at most every 300 ms). Enter sends the
// command when every required option is filled, and otherwise marks what is missing; Escape gives the text box
// back. Attachment options cannot be filled in here yet.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ChannelType, OptionType, type CommandOption, type Snowflake } from '../api/types';
import { nestOptions, type CommandEntry, type OptionValue } from '../state/commands';
import { interactions, requestAutocomplete, runCommand } from '../state/interactions';
import { displayName, state, useStore } from '../state/store';
import { Icon } from './Icon';

interface Field {
  /** What the box shows. */
  text: string;
  /** What was picked (a choice's value, a person's id…), when the box shows its name. */
  picked?: string | number | boolean;
}

interface Suggestion {
  label: string;
  detail?: string;
  value: string | number;
}

type Kind = 'text' | 'number' | 'boolean' | 'choices' | 'autocomplete' | 'entity' | 'unsupported';

function kindOf(option: CommandOption): Kind {
  if (option.type === OptionType.Attachment) return 'unsupported';
  if (option.type === OptionType.Boolean) return 'boolean';
  if (option.choices?.length) return 'choices';
  if (option.autocomplete) return 'autocomplete';
  if (option.type === OptionType.Integer || option.type === OptionType.Number) return 'number';
  if (option.type === OptionType.String) return 'text';
  return 'entity';
}

const LISTED = 25;

/** People, roles or channels matching what was typed, for the option's type. */
function entities(option: CommandOption, typed: string): Suggestion[] {
  const q = typed.trim().replace(/^[@#]/, '').toLowerCase();
  const out: Suggestion[] = [];
  if (option.type === OptionType.User || option.type === OptionType.Mentionable) {
    for (const m of state.members.values()) {
      const name = displayName(m.user.id, m.user);
      if (!q || name.toLowerCase().includes(q) || m.user.username.toLowerCase().includes(q)) {
        out.push({ label: name, detail: m.user.username, value: m.user.id });
      }
    }
  }
  if (option.type === OptionType.Role || option.type === OptionType.Mentionable) {
    for (const r of state.roles.values()) {
      if (r.id !== state.guild?.id && (!q || r.name.toLowerCase().includes(q))) out.push({ label: `@${r.name}`, value: r.id });
    }
  }
  if (option.type === OptionType.Channel) {
    for (const c of state.channels.values()) {
      const fits = option.channel_types?.length ? option.channel_types.includes(c.type) : c.type !== ChannelType.Category;
      if (fits && (!q || (c.name ?? '').toLowerCase().includes(q))) out.push({ label: `#${c.name ?? ''}`, value: c.id });
    }
  }
  return out.sort((a, b) => a.label.localeCompare(b.label)).slice(0, LISTED);
}

/** The value an option sends, or why it cannot be sent (null: left empty). */
function valueOf(option: CommandOption, field: Field | undefined): { value?: string | number | boolean; error?: string } | null {
  const kind = kindOf(option);
  const text = field?.text.trim() ?? '';
  if (kind === 'boolean') return field?.picked === undefined ? null : { value: field.picked };
  if (field?.picked !== undefined && kind !== 'text' && kind !== 'number') return { value: field.picked };
  if (!text) return null;
  switch (kind) {
    case 'unsupported':
      return { error: 'Files cannot be added here yet.' };
    case 'choices': {
      const choice = option.choices!.find((c) => c.name.toLowerCase() === text.toLowerCase());
      return choice ? { value: choice.value } : { error: 'Pick one of the choices.' };
    }
    case 'entity': {
      const found = entities(option, text).find((s) => s.label.replace(/^[@#]/, '').toLowerCase() === text.replace(/^[@#]/, '').toLowerCase());
      return found ? { value: found.value } : { error: 'Pick one from the list.' };
    }
    case 'text': {
      if (option.min_length !== undefined && text.length < option.min_length) return { error: `At least ${option.min_length} characters.` };
      if (option.max_length !== undefined && text.length > option.max_length) return { error: `At most ${option.max_length} characters.` };
      return { value: text };
    }
    default: {
      if (option.type === OptionType.String) return { value: text };
      const n = Number(text);
      if (!Number.isFinite(n) || (option.type === OptionType.Integer && !Number.isInteger(n))) {
        return { error: option.type === OptionType.Integer ? 'A whole number.' : 'A number.' };
      }
      if (option.min_value !== undefined && n < option.min_value) return { error: `At least ${option.min_value}.` };
      if (option.max_value !== undefined && n > option.max_value) return { error: `At most ${option.max_value}.` };
      return { value: n };
    }
  }
}

function bounds(option: CommandOption): string {
  const parts: string[] = [];
  if (option.min_value !== undefined) parts.push(`min ${option.min_value}`);
  if (option.max_value !== undefined) parts.push(`max ${option.max_value}`);
  if (option.min_length !== undefined) parts.push(`at least ${option.min_length} characters`);
  if (option.max_length !== undefined) parts.push(`at most ${option.max_length} characters`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function CommandForm({ channelId, entry, onDone, onCancel }: {
  channelId: Snowflake;
  entry: CommandEntry;
  onDone: () => void;
  onCancel: () => void;
}) {
  useStore();
  const options = [...entry.options].sort((a, b) => Number(!!b.required) - Number(!!a.required));
  const [shown, setShown] = useState<string[]>(() => options.filter((o) => o.required).map((o) => o.name));
  const [fields, setFields] = useState<Record<string, Field>>({});
  const [focused, setFocused] = useState<string | null>(null);
  const [highlight, setHighlight] = useState(0);
  /** The field whose list was closed (a pick, Escape) until it is typed in again. */
  const [listClosed, setListClosed] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [focusNext, setFocusNext] = useState<string | null>(shown[0] ?? '#send');
  const form = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (!focusNext) return;
    const el = form.current?.querySelector<HTMLElement>(
      focusNext === '#send' ? '.command-send' : `[data-option="${CSS.escape(focusNext)}"]`,
    );
    el?.focus();
    setFocusNext(null);
  }, [focusNext]);

  const visible = options.filter((o) => shown.includes(o.name));
  const optional = options.filter((o) => !shown.includes(o.name));
  const results = new Map(visible.map((o) => [o.name, valueOf(o, fields[o.name])]));

  /** The filled options as the interaction carries them (with the one being typed marked, for autocomplete). */
  const collect = (focus?: CommandOption, partial?: string): OptionValue[] => {
    const out: OptionValue[] = [];
    for (const o of visible) {
      if (o === focus) {
        out.push({ type: o.type, name: o.name, value: partial ?? '', focused: true });
        continue;
      }
      const r = results.get(o.name);
      if (r && r.value !== undefined) out.push({ type: o.type, name: o.name, value: r.value });
    }
    return out;
  };

  const ask = (option: CommandOption, partial: string) =>
    requestAutocomplete(channelId, entry.command, nestOptions(entry, collect(option, partial)));

  const set = (option: CommandOption, field: Field) => setFields((old) => ({ ...old, [option.name]: field }));

  const suggestionsFor = (option: CommandOption): Suggestion[] => {
    const typed = fields[option.name]?.text ?? '';
    switch (kindOf(option)) {
      case 'choices': {
        const q = typed.trim().toLowerCase();
        return option.choices!.filter((c) => !q || c.name.toLowerCase().includes(q)).map((c) => ({ label: c.name, value: c.value }));
      }
      case 'autocomplete':
        return (interactions.autocomplete.choices ?? []).map((c) => ({ label: c.name, value: c.value }));
      case 'entity':
        return entities(option, typed);
      default:
        return [];
    }
  };

  const pick = (option: CommandOption, s: Suggestion) => {
    set(option, { text: s.label, picked: s.value });
    setListClosed(option.name);
  };

  const submit = () => {
    const problem = visible.find((o) => {
      const r = results.get(o.name);
      return r?.error || (o.required && (!r || r.value === undefined));
    });
    if (problem) {
      setTried(true);
      setFocusNext(problem.name);
      return;
    }
    runCommand(channelId, entry.command, nestOptions(entry, collect()));
    onDone();
  };

  const keys = (option: CommandOption | null, list: Suggestion[], e: KeyboardEvent) => {
    const open = list.length > 0;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (open && option) setListClosed(option.name);
      else onCancel();
    } else if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setHighlight((h) => (h + (e.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length);
    } else if (open && option && (e.key === 'Tab' || (e.key === 'Enter' && !e.shiftKey))) {
      e.preventDefault();
      pick(option, list[Math.min(highlight, list.length - 1)]);
    } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  const focusedOption = options.find((o) => o.name === focused);
  useEffect(() => setHighlight(0), [focused, interactions.autocomplete.choices]);

  return (
    <div class="command-form" ref={form} role="group" aria-label={`/${entry.full} command`}>
      <div class="command-head">
        <span class="command-chip">/{entry.full}</span>
        <span class="muted">{entry.app?.name ?? ''}</span>
        <button type="button" class="icon" aria-label="Cancel command" onClick={onCancel}>
          <Icon name="close" size={16} />
        </button>
      </div>
      <div class="command-hint" id={`hint-${entry.command.id}`} aria-live="polite">
        {focusedOption ? (
          <>
            <strong>{focusedOption.name}</strong> {focusedOption.description}
            {bounds(focusedOption)}
          </>
        ) : (
          entry.description
        )}
      </div>
      {visible.length > 0 && (
        <div class="command-fields">
          {visible.map((option) => {
            const kind = kindOf(option);
            const result = results.get(option.name);
            const missing = tried && (!!result?.error || (option.required && (!result || result.value === undefined)));
            const list = focused === option.name && listClosed !== option.name ? suggestionsFor(option) : [];
            const field = fields[option.name];
            const id = `opt-${entry.command.id}-${option.name}`;
            return (
              <div key={option.name} class={missing ? 'command-field missing' : 'command-field'}>
                <div class="command-field-head">
                  <label for={id}>
                    {option.name}
                    {option.required && <span class="required" aria-hidden="true">*</span>}
                  </label>
                  {!option.required && (
                    <button
                      type="button"
                      class="icon field-remove"
                      aria-label={`Remove option ${option.name}`}
                      onClick={() => {
                        setShown(shown.filter((n) => n !== option.name));
                        setFields((old) => ({ ...old, [option.name]: { text: '' } }));
                      }}
                    >
                      <Icon name="close" size={14} />
                    </button>
                  )}
                </div>
                {kind === 'boolean' ? (
                  <div class="bool-choice" role="group" aria-label={option.name} id={id}>
                    {[true, false].map((b, i) => (
                      <button
                        key={String(b)}
                        data-option={i === 0 ? option.name : undefined}
                        type="button"
                        aria-pressed={field?.picked === b}
                        onFocus={() => setFocused(option.name)}
                        onKeyDown={(e) => {
                          if (e.key === 'Escape') keys(null, [], e);
                        }}
                        onClick={() => set(option, { text: String(b), picked: b })}
                      >
                        {b ? 'True' : 'False'}
                      </button>
                    ))}
                  </div>
                ) : (
                  <input
                    id={id}
                    data-option={option.name}
                    type="text"
                    autoComplete="off"
                    disabled={kind === 'unsupported'}
                    inputMode={kind === 'number' ? 'decimal' : undefined}
                    maxLength={kind === 'text' ? option.max_length : undefined}
                    aria-label={option.name}
                    aria-required={option.required}
                    aria-invalid={missing}
                    aria-describedby={`hint-${entry.command.id}`}
                    aria-autocomplete={kind === 'text' || kind === 'number' ? undefined : 'list'}
                    placeholder={kind === 'unsupported' ? 'Files cannot be added here yet' : option.description}
                    value={field?.text ?? ''}
                    onFocus={(e) => {
                      setFocused(option.name);
                      setListClosed(null);
                      if (kind === 'autocomplete') ask(option, e.currentTarget.value);
                    }}
                    onBlur={() => setFocused((f) => (f === option.name ? null : f))}
                    onInput={(e) => {
                      const text = e.currentTarget.value;
                      set(option, { text });
                      setListClosed(null);
                      if (kind === 'autocomplete') ask(option, text);
                    }}
                    onKeyDown={(e) => keys(option, list, e)}
                  />
                )}
                {missing && <span class="field-error">{result?.error ?? 'Required'}</span>}
                {list.length > 0 && (
                  <ul class="suggestions" role="listbox" aria-label={`Choices for ${option.name}`}>
                    {list.map((s, i) => (
                      <li
                        key={`${s.value}`}
                        role="option"
                        aria-selected={i === Math.min(highlight, list.length - 1)}
                        onMouseDown={(e) => e.preventDefault()}
                        onClick={() => pick(option, s)}
                      >
                        <span>{s.label}</span>
                        {s.detail && <span class="muted">{s.detail}</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })}
        </div>
      )}
      {optional.length > 0 && (
        <div class="optional-options" role="group" aria-label="Optional options">
          <span>Optional:</span>
          {optional.map((o) => (
            <button
              key={o.name}
              type="button"
              title={o.description}
              onClick={() => {
                setShown([...shown, o.name]);
                setFocusNext(o.name);
              }}
            >
              + {o.name}
            </button>
          ))}
        </div>
      )}
      <div class="command-actions">
        <button
          type="button"
          class="command-send"
          onClick={submit}
          onKeyDown={(e) => {
            if (e.key === 'Escape') keys(null, [], e);
          }}
        >
          Send command
        </button>
      </div>
    </div>
  );
}
