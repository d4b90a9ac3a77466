import type { PackageScanStat } from '../../worker/db/scans';
import { Table } from './components';
import { fmtDateTime } from './format';

/**
 * The most-scanned packages of a batch or a product. The copy rule counts people and
 * places, not page loads (worker/public/scan-service.ts), so those are the cells marked.
 */
export function PackageScanTable(props: { rows: PackageScanStat[]; withBatch: boolean; caption: string }) {
  const head = [...(props.withBatch ? ['Lô / Batch'] : []), 'Số thứ tự / Serial', 'Lượt quét / Scans', 'Người / People', 'Số nơi / Places', 'Đầu tiên / First', 'Gần nhất / Last'];
  return (
    <Table head={head} caption={props.caption}>
      {props.rows.map((s) => (
        <tr>
          {props.withBatch ? <td>#{s.batch_id}</td> : null}
          <td class="num">{s.serial}</td>
          <td class="num">{s.scans}</td>
          <td class={`num ${s.people >= 20 ? 'bad' : ''}`}>{s.people}</td>
          <td class={`num ${s.places >= 3 ? 'bad' : ''}`}>{s.places}</td>
          <td>{fmtDateTime(s.first)}</td>
          <td>{fmtDateTime(s.last)}</td>
        </tr>
      ))}
    </Table>
  );
}
