import dayjs from 'dayjs';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTime, isoToPickerText, pickerToIso, setDisplayZone, todayInZone, zoneOffsetLabel } from './format.js';

const DEVICE_TZ = process.env.TZ;
/** The device's zone, as the browser would report it (Node follows TZ at run time). */
const onDevice = (zone: string) => {
  process.env.TZ = zone;
};
afterEach(() => {
  if (DEVICE_TZ === undefined) delete process.env.TZ;
  else process.env.TZ = DEVICE_TZ;
  setDisplayZone(null);
});

describe('times on screen are in the organization’s zone, labelled when the device’s differs', () => {
  it('shows the organization’s wall clock, without a label on a device in the same zone', () => {
    onDevice('Asia/Shanghai');
    setDisplayZone('Asia/Shanghai');
    expect(formatTime('2026-09-29T02:00:00.000Z')).toBe('2026-09-29 10:00');
    expect(formatTime('2026-09-29T02:00:05.000Z', true)).toBe('2026-09-29 10:00:05');
    // Another name for the same offset is not "another zone".
    onDevice('Asia/Chongqing');
    expect(formatTime('2026-09-29T02:00:00.000Z')).toBe('2026-09-29 10:00');
  });

  it('keeps the organization’s time on a device elsewhere, and says which zone it is', () => {
    onDevice('America/New_York');
    setDisplayZone('Asia/Shanghai');
    expect(formatTime('2026-09-29T16:30:00.000Z')).toBe('2026-09-30 00:30 (UTC+8)');
    setDisplayZone('Asia/Kolkata');
    expect(formatTime('2026-09-29T16:30:00.000Z')).toBe('2026-09-29 22:00 (UTC+5:30)');
    expect(zoneOffsetLabel('UTC')).toBe('UTC');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('not a time')).toBe('not a time');
  });

  it('falls back to the device’s zone before anyone is logged in', () => {
    onDevice('Europe/Berlin');
    expect(formatTime('2026-01-15T12:00:00.000Z')).toBe('2026-01-15 13:00');
  });

  it('reads a date-time picker as the organization’s wall clock, whatever the device’s zone', () => {
    setDisplayZone('Asia/Shanghai');
    for (const device of ['UTC', 'America/Los_Angeles', 'Asia/Shanghai']) {
      onDevice(device);
      expect(pickerToIso(dayjs('2026-09-29 10:40')), device).toBe('2026-09-29T02:40:00.000Z');
      expect(isoToPickerText('2026-09-29T02:40:00.000Z'), device).toBe('2026-09-29 10:40');
    }
    // Across New York's switch to summer time (2026-03-08 02:00 → 03:00).
    setDisplayZone('America/New_York');
    expect(pickerToIso(dayjs('2026-03-08 01:30'))).toBe('2026-03-08T06:30:00.000Z');
    expect(pickerToIso(dayjs('2026-03-08 04:00'))).toBe('2026-03-08T08:00:00.000Z');
    // "Today" is the organization's: 23:30 UTC is already tomorrow in Shanghai.
    setDisplayZone('Asia/Shanghai');
    expect(todayInZone(new Date('2026-09-29T23:30:00.000Z'))).toBe('2026-09-30');
  });
});
