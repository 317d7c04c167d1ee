import { get } from 'svelte/store';

import { fetchSearchAttributesForNamespace } from '@temporalio/ui/services/search-attributes-service';
import { persistedWorkflowTableColumns } from '@temporalio/ui/stores/configurable-table-columns';
import { allSearchAttributes } from '@temporalio/ui/stores/search-attributes';

import type { LayoutLoad } from './$types';

const DefaultColumns = ['Status', 'Workflow ID', 'Type', 'Start', 'End'];

/** The namespace's search attributes feed the filter builder; on a first visit they also become list columns. */
export const load: LayoutLoad = async ({ params, parent, fetch }) => {
  await parent();
  const attributes = await fetchSearchAttributesForNamespace(params.namespace, fetch);
  allSearchAttributes.set(attributes);
  if (!get(persistedWorkflowTableColumns)[params.namespace]?.length) {
    const labels = [...DefaultColumns, ...Object.keys(attributes.customAttributes).sort()];
    persistedWorkflowTableColumns.update((columns) => ({ ...columns, [params.namespace]: labels.map((label) => ({ label })) }));
  }
};
