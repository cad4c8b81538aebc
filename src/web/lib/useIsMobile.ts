import { Grid } from 'antd';

/** Phones and narrow windows (< 768 px): the side menu becomes a drawer, tables become cards. */
export function useIsMobile(): boolean {
  const screens = Grid.useBreakpoint();
  // Before the first measurement every breakpoint is undefined: assume a wide screen.
  if (screens.md === undefined) return typeof window !== 'undefined' && window.innerWidth < 768;
  return !screens.md;
}
