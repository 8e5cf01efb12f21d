import { CustomVariableSupport, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { from, map, type Observable } from 'rxjs';

import { VariableQueryEditor } from './components/variable/VariableQueryEditor';
import type { DataSource } from './datasource';
import type { RolloutLensVariableQuery } from './query/variableQuery';

/** Dashboard variables through the data source's `metricFindQuery`, with our own editor. */
export class RolloutLensVariableSupport extends CustomVariableSupport<DataSource, RolloutLensVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<RolloutLensVariableQuery>): Observable<DataQueryResponse> {
    return from(
      this.dataSource.metricFindQuery(request.targets[0], { scopedVars: request.scopedVars, range: request.range })
    ).pipe(map((data) => ({ data })));
  }
}
