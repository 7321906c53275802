/** Human labels of facet values and sorts, shared by the facet panel and the result rows. */
import type { FacetName, Kind, ListedStatus, PackageType, RemoteTransport, Sort } from '../../lib/search/types.ts';

export const FACET_LEGENDS: Record<FacetName, string> = {
  kind: 'Runs',
  type: 'Package type',
  transport: 'Remote transport',
  category: 'Category',
  status: 'Status',
};

export const KIND_LABELS: Record<Kind, string> = { local: 'Locally (package)', remote: 'Remotely (URL)' };
export const PACKAGE_TYPE_LABELS: Record<PackageType, string> = {
  npm: 'npm',
  pypi: 'PyPI',
  oci: 'OCI image',
  nuget: 'NuGet',
  mcpb: 'MCP bundle',
};
export const TRANSPORT_LABELS: Record<RemoteTransport, string> = { 'streamable-http': 'Streamable HTTP', sse: 'SSE' };
export const STATUS_LABELS: Record<ListedStatus, string> = { active: 'Active', deprecated: 'Deprecated' };
export const SORT_LABELS: Record<Sort, string> = { relevance: 'Relevance', updated: 'Recently updated', name: 'Name' };
