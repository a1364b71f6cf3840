// Runs in the renderer. A PIN pad for touch and keyboard: big digit keys, delete and clear, and
// a masked field that takes typed digits and Enter. It sits inside [data-allow-typing], so the
// wedge listener never reads a PIN as a scan. The digits live only in this component and are
// cleared as soon as they are handed over.
import { useEffect, useRef, useState } from 'react';
import { PIN_MAX_DIGITS } from '../../../shared/operatorPin';
import type { Lang } from '../i18n/text';
import { op } from '../i18n/text';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export function PinPad({ lang, busy, disabled, onSubmit, testid }: { lang: Lang; busy: boolean; disabled?: boolean; onSubmit(pin: string): void; testid: string }) {
  const [digits, setDigits] = useState('');
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  const add = (d: string) => setDigits((v) => (v.length < PIN_MAX_DIGITS ? v + d : v));
  const submit = () => {
    if (busy || disabled || digits.length === 0) return;
    const pin = digits;
    setDigits('');
    onSubmit(pin);
    field.current?.focus();
  };
  return (
    <form
      className="pin-pad"
      data-testid={testid}
      data-allow-typing=""
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <input
        ref={field}
        className="pin-field"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        aria-label={op('lockPrompt', lang)}
        data-testid={`${testid}-field`}
        value={digits}
        disabled={disabled}
        onChange={(e) => setDigits(e.target.value.replace(/[^0-9]/g, '').slice(0, PIN_MAX_DIGITS))}
      />
      <p className="pin-count" aria-live="polite">
        {op('pinEntered', lang, { n: digits.length })}
      </p>
      <div className="pin-keys">
        {KEYS.map((k) => (
          <button key={k} type="button" className="pin-key" data-testid={`${testid}-key-${k}`} disabled={disabled} onClick={() => add(k)}>
            {k}
          </button>
        ))}
        <button type="button" className="pin-key small" data-testid={`${testid}-clear`} disabled={disabled} onClick={() => setDigits('')}>
          {op('pinClear', lang)}
        </button>
        <button type="button" className="pin-key" data-testid={`${testid}-key-0`} disabled={disabled} onClick={() => add('0')}>
          0
        </button>
        <button type="button" className="pin-key small" data-testid={`${testid}-delete`} aria-label={op('pinDelete', lang)} disabled={disabled} onClick={() => setDigits((v) => v.slice(0, -1))}>
          ⌫
        </button>
      </div>
      <button type="submit" className="btn primary pin-ok" data-testid={`${testid}-ok`} disabled={busy || disabled || digits.length === 0}>
        {op('pinOk', lang)}
      </button>
    </form>
  );
}
