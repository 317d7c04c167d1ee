import '../app.css';

import i18next from 'i18next';

import { i18nNamespaces } from '@temporalio/ui/i18n/index';
import Locales from '@temporalio/ui/i18n/locales/index';
import { fetchCluster, fetchSystemInfo } from '@temporalio/ui/services/cluster-service';
import { fetchNamespaces } from '@temporalio/ui/services/namespaces-service';
import { fetchSettings } from '@temporalio/ui/services/settings-service';

import type { LayoutLoad } from './$types';

// The package's texts (English, as Temporal's own UI server ships them) before anything renders.
i18next.init({ lng: 'en', fallbackLng: 'en', ns: i18nNamespaces, resources: Locales, interpolation: { escapeValue: false } });

// A static single-page app: nothing renders on a server, every page is built in the browser.
export const ssr = false;
export const prerender = false;

/** What every page reads from $page.data, as Temporal's own UI server provides it. */
export const load: LayoutLoad = async ({ fetch }) => {
  const settings = await fetchSettings(fetch);
  fetchNamespaces(settings, fetch);
  const [cluster, systemInfo] = await Promise.all([fetchCluster(settings, fetch), fetchSystemInfo(settings, fetch)]);
  return { settings, cluster, systemInfo };
};
