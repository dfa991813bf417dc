// What the composer's text becomes before it is sent, as Discord's client does: `@name` of a member becomes a
// user mention (`<@id>`), `#name` of a channel a channel mention (`<#id>`), `:name:` of one of the space's
// custom emoji that emoji (`<:name:id>`, `<a:name:id>` when animated). Names match usernames, nicknames or
// display names without spaces, case-insensitively; anything else stays as typed. Code is left alone.

import { ChannelType } from '../api/types';
import { emojiMarkup, emojiNamed } from './expressions';
import { state } from './store';

function memberByName(name: string): string | null {
  const wanted = name.toLowerCase();
  for (const member of state.members.values()) {
    const names = [member.user.username, member.nick, member.user.global_name];
    if (names.some((n) => n && !n.includes(' ') && n.toLowerCase() === wanted)) return member.user.id;
  }
  return null;
}

function channelByName(name: string): string | null {
  const wanted = name.toLowerCase();
  for (const channel of state.channels.values()) {
    if (channel.type === ChannelType.Text && channel.name.toLowerCase() === wanted) return channel.id;
  }
  return null;
}

function convert(text: string): string {
  return mentions(text).replace(/<a?:\w+:\d+>|:(\w{2,32}):/g, (whole, name?: string) => {
    const emoji = name ? emojiNamed(name) : undefined;
    return emoji ? emojiMarkup(emoji) : whole;
  });
}

function mentions(text: string): string {
  return text.replace(/(^|[\s(])([@#])([\w.-]{1,32})/g, (whole, before: string, sigil: string, name: string) => {
    if (sigil === '@' && (name === 'everyone' || name === 'here')) return whole;
    const id = sigil === '@' ? memberByName(name) : channelByName(name);
    return id ? `${before}<${sigil}${id}>` : whole;
  });
}

/** Converts mentions outside code spans and code blocks. */
export function prepareOutgoing(text: string): string {
  return text
    .split(/(```[\s\S]*?```|`[^`\n]*`)/g)
    .map((part, i) => (i % 2 === 1 ? part : convert(part)))
    .join('');
}

/** The reverse, for the editor: stored mentions and custom emoji shown as the `@name` / `#name` / `:name:` one
 *  would type. */
export function toEditable(content: string): string {
  return content.replace(/<a?:(\w{2,32}):(\d{1,20})>/g, (whole, name: string, id: string) =>
    state.emojis.has(id) ? `:${name}:` : whole,
  ).replace(/<(@!?|#)(\d{1,20})>/g, (whole, sigil: string, id: string) => {
    if (sigil === '#') {
      const channel = state.channels.get(id);
      return channel ? `#${channel.name}` : whole;
    }
    const member = state.members.get(id);
    return member ? `@${member.user.username}` : whole;
  });
}
