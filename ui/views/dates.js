// Dates as people type them, written back as YYYY-MM-DD.

/** Accept 17.05.1990, 17/05/1990, 17-05-1990, 19900517 and 17051990; write YYYY-MM-DD. */
export function normalizeDate(value) {
  const v = String(value || '').trim();
  let m;
  let y; let mo; let d;
  if ((m = v.match(/^(\d{1,2})[./\-\s](\d{1,2})[./\-\s](\d{4})$/))) [, d, mo, y] = m;
  else if ((m = v.match(/^(\d{4})[./\-\s](\d{1,2})[./\-\s](\d{1,2})$/))) [, y, mo, d] = m;
  else if ((m = v.match(/^(\d{8})$/))) {
    const s = m[1];
    if (/^(18|19|20)\d{2}(0[1-9]|1[0-2])/.test(s)) { y = s.slice(0, 4); mo = s.slice(4, 6); d = s.slice(6, 8); }
    else { d = s.slice(0, 2); mo = s.slice(2, 4); y = s.slice(4, 8); }
  } else return v;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return v;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
