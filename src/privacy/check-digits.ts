/**
 * Check digits of the identifiers callqa masks. Pure; no I/O.
 */

/** Luhn (ISO/IEC 7812-1) over a string of decimal digits: payment card numbers. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * The check character of an 18-character resident identity number (GB 11643-1999, ISO 7064 MOD 11-2)
 * for its first 17 digits.
 */
export function idCardCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/**
 * An 18-character Chinese resident identity number: 6-digit area code, 8-digit birth date (YYYYMMDD, a real
 * date between 1800 and 2099), 3-digit sequence, and the MOD 11-2 check character (0-9 or X).
 */
export function idCardValid(id: string): boolean {
  const s = id.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  if (s[0] === '0') return false; // area codes start 1-9
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  if (y < 1800 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return false;
  return idCardCheckChar(s.slice(0, 17)) === s[17];
}

/** A US Social Security number that the SSA could have issued (no 000/666/9xx area, 00 group, 0000 serial). */
export function ssnPlausible(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = digits.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (digits.slice(3, 5) === '00' || digits.slice(5) === '0000') return false;
  return true;
}

/** A NANP (US/Canada) 10-digit number: area code and exchange start 2-9. */
export function nanpValid(digits: string): boolean {
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(digits);
}

/** NANP toll-free area codes: company lines, not personal data. */
export const NANP_TOLL_FREE = new Set(['800', '833', '844', '855', '866', '877', '888']);
