// Runs everywhere (main's operator lock and the renderer's PIN pad). The one rule set for a new
// operator PIN, so the pad can say what is wrong before asking main, and main still decides.

export const PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 12;

/** Why a new PIN is refused, or null when it may be set. */
export type PinProblem = 'FORMAT' | 'REPEATED' | 'SEQUENTIAL';

/**
 * A new PIN: 6–12 digits, not one digit repeated (000000) and not a run up or down
 * (123456, 987654, wrapping 890123 too). Unlocking still accepts 4–12 digits, so a PIN set
 * under the earlier 4-digit rule keeps working until it is changed.
 */
export function pinProblem(pin: unknown): PinProblem | null {
  if (typeof pin !== 'string' || !new RegExp(`^[0-9]{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`).test(pin)) return 'FORMAT';
  const digits = [...pin].map(Number);
  if (digits.every((d) => d === digits[0])) return 'REPEATED';
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10));
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return 'SEQUENTIAL';
  return null;
}

/** What to tell a person, in Korean (main's error messages) and English (the pad). */
export const PIN_PROBLEM_TEXT: Record<PinProblem, { ko: string; en: string }> = {
  FORMAT: { ko: `PIN은 숫자 ${PIN_MIN_DIGITS}~${PIN_MAX_DIGITS}자리여야 합니다.`, en: `The PIN must be ${PIN_MIN_DIGITS}–${PIN_MAX_DIGITS} digits.` },
  REPEATED: { ko: '같은 숫자만 반복한 PIN은 쓸 수 없습니다.', en: 'A PIN of one repeated digit cannot be used.' },
  SEQUENTIAL: { ko: '연속된 숫자(예: 123456)는 PIN으로 쓸 수 없습니다.', en: 'A run of digits (such as 123456) cannot be used.' },
};
