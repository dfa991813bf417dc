// The bell in a channel's or conversation's header: its notification settings as on Discord — mute it for a
// while or until turned back on (or unmute, with when the mute ends), and what notifies: all messages, only
// @mentions, nothing, or the default it inherits (its category's or the space's; every message for DMs). The
// server keeps them (state/notifySettings.ts), so every device follows.

import { NotifyLevel, type Snowflake } from '../api/types';
import {
  LEVEL_NAMES,
  MUTE_CHOICES,
  describeMute,
  inheritedLevel,
  isMuted,
  muteChannel,
  ownLevel,
  ownMute,
  setChannelLevel,
  unmuteChannel,
} from '../state/notifySettings';
import { isPrivate } from '../state/private';
import { useStore } from '../state/store';
import { Icon } from './Icon';
import { MenuItem, PopMenu } from './PopMenu';

export function NotifyMenu({ channelId }: { channelId: Snowflake }) {
  useStore();
  const muted = isMuted(channelId);
  const own = ownMute(channelId);
  const level = ownLevel(channelId);
  const inherited = inheritedLevel(channelId);
  const what = isPrivate(channelId) ? 'conversation' : 'channel';
  const state = own ? describeMute(own.until) : muted ? 'Muted with its category or the space' : null;
  const levels = [NotifyLevel.Inherit, NotifyLevel.All, NotifyLevel.Mentions, NotifyLevel.Nothing];
  return (
    <PopMenu
      label={muted ? 'Notification settings (muted)' : 'Notification settings'}
      button={<Icon name={muted ? 'bellOff' : 'bell'} />}
      buttonClass={muted ? 'icon notify-bell muted-bell' : 'icon notify-bell'}
      place="below"
      menuLabel="Notification settings"
    >
      {(close) => {
        const run = (action: () => Promise<boolean>) => () => {
          close();
          void action();
        };
        return (
          <>
            {state && (
              <p class="pop-state" role="status">
                {state}
              </p>
            )}
            <div class="pop-group" role="group" aria-label="Mute">
              {own ? (
                <MenuItem label={`Unmute ${what}`} onSelect={run(() => unmuteChannel(channelId))} />
              ) : (
                MUTE_CHOICES.map(([seconds, text]) => (
                  <MenuItem
                    key={seconds}
                    label={`Mute ${text.charAt(0).toLowerCase()}${text.slice(1)}`}
                    onSelect={run(() => muteChannel(channelId, seconds))}
                  />
                ))
              )}
            </div>
            <div class="pop-group" role="group" aria-label="Notify me about">
              <div class="pop-heading" aria-hidden="true">
                Notify me about
              </div>
              {levels.map((choice) => (
                <MenuItem
                  key={choice}
                  label={choice === NotifyLevel.Inherit ? `Default (${LEVEL_NAMES[inherited]})` : LEVEL_NAMES[choice]}
                  checked={level === choice}
                  onSelect={run(() => setChannelLevel(channelId, choice))}
                />
              ))}
            </div>
          </>
        );
      }}
    </PopMenu>
  );
}
