// The status picker in the user panel: this user's avatar with its status dot is the button; the menu offers
// Online, Idle, Do Not Disturb (no pushes, no notifications) and Invisible (appear offline).

import { ownStatusClass, setStatus, STATUSES } from '../state/presence';
import { useStore } from '../state/store';
import { Avatar } from './Avatar';
import { MenuItem, PopMenu } from './PopMenu';

export function StatusMenu() {
  const s = useStore();
  const me = s.me;
  if (!me) return null;
  const current = STATUSES.find(([status]) => status === s.myStatus) ?? STATUSES[0];
  return (
    <PopMenu
      label={`Set status (now ${current[1]})`}
      button={<Avatar user={me} size={32} status={ownStatusClass(s.myStatus)} />}
      buttonClass="status-button"
      place="above"
      menuLabel="Set status"
      sheet={false}
    >
      {(close) =>
        STATUSES.map(([status, name, hint]) => (
          <MenuItem
            key={status}
            label={name}
            hint={hint || undefined}
            checked={s.myStatus === status}
            onSelect={() => {
              close();
              setStatus(status);
            }}
          />
        ))
      }
    </PopMenu>
  );
}
