import { check } from './checks';
import { testbedDataSource, VIA_PROXY_STAND_IN_API } from './testbed';

describe('health check against the test bed', () => {
  check(
    'plugin/health-check',
    async () => {
      const { dataSource, proxy } = testbedDataSource();
      const result = await dataSource.testDatasource();
      proxy.close();
      // The least-privilege identity from deploy/ reads everything and can neither read Secrets nor write. This data
      // source has no streaming fetch (the browser's): the only warning says that panels list at every refresh.
      expect(result.status).toBe('warning');
      expect(result.message).toMatch(/Kubernetes v1\.\d+/);
      expect(result.message).toMatch(/Argo Rollouts/);
      expect(result.message).toMatch(/cannot stream responses, so it cannot watch/);
      expect(
        String(result.details?.verboseMessage)
          .split('\n')
          .filter((line) => line.startsWith('!'))
      ).toEqual([
        '! this data source cannot stream responses, so it cannot watch: the panels list again at every refresh and do not update by themselves',
      ]);
      return { status: result.status, message: result.message, details: result.details };
    },
    { against: VIA_PROXY_STAND_IN_API }
  );
});
