// Renders the markdown tree as Preact elements: text stays text, links get rel=noopener and open in a new tab,
// mentions resolve against the current members, roles and channels (a person who is not a member, such as
// someone brought in from a Discord export, by the message's own `mentions`), custom emoji against the space's
// (one that is gone shows as `:name:`), spoilers reveal on click or Enter. A message of emoji alone (up to 27)
// shows them big ("jumbo"), as Discord does.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { User } from '../api/types';
import { openChannel } from '../state/actions';
import { displayName, state } from '../state/store';
import { Emoji } from '../ui/Emoji';
import { highlight } from './highlight';
import { parse, type Node } from './parse';

function Spoiler({ children }: { children: ComponentChildren }) {
  const [shown, setShown] = useState(false);
  return (
    <span
      class={shown ? 'spoiler shown' : 'spoiler'}
      role={shown ? undefined : 'button'}
      tabIndex={shown ? undefined : 0}
      aria-label={shown ? undefined : 'Spoiler, press to reveal'}
      onClick={() => setShown(true)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') setShown(true);
      }}
    >
      <span aria-hidden={!shown}>{children}</span>
    </span>
  );
}

/** The people a message mentions (`message.mentions`), for mentions of people who are not members. */
type Mentioned = readonly User[] | undefined;

function node(n: Node, key: number, mentions: Mentioned): ComponentChildren {
  switch (n.t) {
    case 'text':
      return n.v;
    case 'br':
      return <br key={key} />;
    case 'b':
      return <strong key={key}>{nodes(n.c, mentions)}</strong>;
    case 'i':
      return <em key={key}>{nodes(n.c, mentions)}</em>;
    case 'u':
      return <u key={key}>{nodes(n.c, mentions)}</u>;
    case 's':
      return <s key={key}>{nodes(n.c, mentions)}</s>;
    case 'spoiler':
      return <Spoiler key={key}>{nodes(n.c, mentions)}</Spoiler>;
    case 'quote':
      return (
        <blockquote key={key}>
          <div>{nodes(n.c, mentions)}</div>
        </blockquote>
      );
    case 'code':
      return (
        <code key={key} class="inline">
          {n.v}
        </code>
      );
    case 'pre':
      return (
        <pre key={key} class="codeblock" data-lang={n.lang || undefined}>
          <code>
            {highlight(n.v, n.lang).map(([cls, text], i) => (cls ? <span key={i} class={cls}>{text}</span> : text))}
          </code>
        </pre>
      );
    case 'link':
      return (
        <a key={key} href={n.href} title={n.href} target="_blank" rel="noopener noreferrer nofollow ugc">
          {nodes(n.c, mentions)}
        </a>
      );
    case 'user': {
      const mentioned = mentions?.find((u) => u.id === n.id);
      return (
        <span key={key} class={n.id === state.me?.id ? 'mention me' : 'mention'}>
          @{state.members.has(n.id) || mentioned ? displayName(n.id, mentioned) : 'unknown-user'}
        </span>
      );
    }
    case 'role': {
      const role = state.roles.get(n.id);
      return (
        <span key={key} class="mention">
          @{role?.name ?? 'deleted-role'}
        </span>
      );
    }
    case 'channel': {
      const channel = state.channels.get(n.id);
      return channel ? (
        <a
          key={key}
          class="mention"
          href={`/channels/${state.guild?.id}/${n.id}`}
          onClick={(e) => {
            e.preventDefault();
            openChannel(n.id);
          }}
        >
          #{channel.name}
        </a>
      ) : (
        <span key={key} class="mention">
          #unknown
        </span>
      );
    }
    case 'everyone':
      return (
        <span key={key} class="mention me">
          {n.v}
        </span>
      );
    case 'emoji':
      return (
        <span key={key} class="emoji" title={`:${n.name}:`} role="img" aria-label={n.name}>
          {n.v}
        </span>
      );
    case 'custom':
      return <Emoji key={key} emoji={{ id: n.id, name: n.name }} />;
  }
}

function nodes(list: Node[], mentions: Mentioned): ComponentChildren {
  return list.map((n, i) => node(n, i, mentions));
}

const PICTOGRAPH = /\p{Extended_Pictographic}/gu;
const EMOJI_TEXT = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Emoji_Component}\u200d\ufe0f\s]*$/u;

/** How many emoji a message of nothing else has (shortcodes, custom emoji, emoji typed as characters); 0 when
 *  there is anything else. */
function emojiOnly(tree: Node[]): number {
  let count = 0;
  for (const n of tree) {
    if (n.t === 'emoji' || n.t === 'custom') count += 1;
    else if (n.t === 'text' && EMOJI_TEXT.test(n.v)) count += n.v.match(PICTOGRAPH)?.length ?? 0;
    else return 0;
  }
  return count;
}

const cache = new Map<string, Node[]>();

/** The rendered content of a message (parsed trees are cached by source text); `mentions` are the people the
 *  message mentions, as it carries them. */
export function Markdown({ source, mentions }: { source: string; mentions?: readonly User[] }) {
  let tree = cache.get(source);
  if (!tree) {
    tree = parse(source);
    if (cache.size > 2000) cache.clear();
    cache.set(source, tree);
  }
  const emoji = emojiOnly(tree);
  const jumbo = emoji > 0 && emoji <= 27;
  return <div class={jumbo ? 'markdown jumbo' : 'markdown'}>{nodes(tree, mentions)}</div>;
}
