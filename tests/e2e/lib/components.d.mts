export declare const COMPONENTS: Readonly<Record<string, { standIn: boolean; what: string }>>;
export declare const KUBE_API: readonly string[];
export declare const TEST_BED: readonly string[];
export declare function isStandIn(name: string): boolean;
export declare function againstList(against: unknown, where?: string): string[];
export declare function onlyRealComponents(against: unknown): boolean;
