import { check } from './checks';
import { testbedDataSource, VIA_PROXY_STAND_IN_API } from './testbed';

describe('health check against the test bed', () => {
  check(
    'plugin/health-check',
    async () => {
      const { dataSource, proxy } = testbedDataSource();
      const result = await dataSource.testDatasource();
      proxy.close();
      // The least-privilege identity from deploy/ reads everything and can neither read Secrets nor write.
      expect(result.status).toBe('success');
      expect(result.message).toMatch(/Kubernetes v1\.\d+/);
      expect(result.message).toMatch(/Argo Rollouts/);
      return { status: result.status, message: result.message, details: result.details };
    },
    { against: VIA_PROXY_STAND_IN_API }
  );
});
