// Invite links from the web client. The server lets instance admins make them (an invite creates an account;
// src/http/api/invites.rs), and the app page says whether this user is one (`<meta name="spot-admin">`, from
// templates/app.html), which is also who sees the link to the admin panel.

import { api } from '../api/rest';
import { ChannelType, type Invite, type Snowflake } from '../api/types';
import { firstTextChannel } from './actions';
import { state } from './store';

/** Whether this user is an instance admin (as of loading the page). */
export function isInstanceAdmin(): boolean {
  return document.querySelector('meta[name="spot-admin"]') !== null;
}

/** Whether to offer "Invite people": the server's rule for who may make an invite. */
export function mayInvite(): boolean {
  return isInstanceAdmin();
}

/** The channel an invite leads into: the one on screen, or the first text channel. */
function inviteChannel(): Snowflake {
  const active = state.activeChannel ? state.channels.get(state.activeChannel) : undefined;
  return active?.type === ChannelType.Text ? active.id : firstTextChannel();
}

/** Makes an invite (`maxAge` seconds, `maxUses` accounts, 0 for unlimited) and answers its link. */
export async function createInvite(maxAge: number, maxUses: number): Promise<string> {
  const invite = await api<Invite>('POST', `/channels/${inviteChannel()}/invites`, {
    max_age: maxAge,
    max_uses: maxUses,
  });
  return `${window.location.origin}/invite/${encodeURIComponent(invite.code)}`;
}
