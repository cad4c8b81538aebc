import { Drawer, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { TokenList } from '../../components/TokenList.js';
import { qk } from '../../lib/queries.js';
import { useIsMobile } from '../../lib/useIsMobile.js';
import type { AccountRow } from '../../types.js';
/** The drawer on the accounts page: whose tokens, why revoke, then the list. */
export function AccountTokensDrawer({ account, onClose }: { account: AccountRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  return (
    <Drawer open={!!account} title={t('tokens.title', { name: account?.username ?? '' })} onClose={onClose} size={isMobile ? '100%' : 760} destroyOnHidden>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('tokens.intro')}
      </Typography.Paragraph>
      {account ? <TokenList path={`/accounts/${account.id}/tokens`} queryKey={qk.accountTokens(account.id)} emptyText={t('tokens.empty')} /> : null}
    </Drawer>
  );
}
