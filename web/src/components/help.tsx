import { signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { t, type MessageKey } from '../i18n';

export const helpOpen = signal(false);

export const SHORTCUTS: { keys: string[]; label: MessageKey }[] = [
  { keys: ['Space'], label: 'keyPlayPause' },
  { keys: ['←', '→'], label: 'keySeek' },
  { keys: ['[', ']'], label: 'keyEvents' },
  { keys: ['↑', '↓'], label: 'keyItems' },
  { keys: ['Enter'], label: 'keyConfirm' },
  { keys: ['O'], label: 'keyOverride' },
  { keys: ['-', '+'], label: 'keySpeed' },
  { keys: ['Shift+C'], label: 'keyComplete' },
  { keys: ['Shift+N'], label: 'keyNextCall' },
  { keys: ['?'], label: 'keyHelp' },
];

addEventListener('keydown', (e) => {
  if (e.key === '?' && !isTyping(e)) {
    helpOpen.value = !helpOpen.value;
    e.preventDefault();
  } else if (e.key === 'Escape' && helpOpen.value) {
    helpOpen.value = false;
  }
});

/** Keys typed into a field are text, not shortcuts. */
export function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

export function HelpOverlay() {
  const ref = useRef<HTMLDialogElement>(null);
  const open = helpOpen.value;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} class="help" aria-labelledby="help-title" onClose={() => (helpOpen.value = false)}>
      <h2 id="help-title">{t('keysTitle')}</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr>
              <td class="keys">
                {s.keys.map((k) => (
                  <kbd>{k}</kbd>
                ))}
              </td>
              <td>{t(s.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button class="primary" autoFocus>
          {t('close')}
        </button>
      </form>
    </dialog>
  );
}
