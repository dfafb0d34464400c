import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";

/**
 * The deployment files (deploy/, docs/deploy.md) are checked against the code they start: every
 * variable they set is one a process validates, every probe path is a route, every command a file,
 * every reference a resource. (No container engine runs on our CI machines, so the images are not built here.)
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** Every `NAME:` key of a zod env schema in the sources that validate the environment. */
function declaredVariables(): Set<string> {
  const sources = [
    ...readdirSync(join(root, "packages/config/src"))
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
      .map((file) => `packages/config/src/${file}`),
    "apps/runtime/src/env.ts",
    "apps/studio/src/env.ts",
    "packages/cli/src/env.ts",
  ];
  const names = new Set<string>();
  for (const source of sources) {
    for (const match of read(source).matchAll(/^\s*([A-Z][A-Z0-9_]{2,}):/gm)) names.add(match[1] as string);
  }
  return names;
}

/** Variables read by the base images or Next.js rather than by Parley's schemas. */
const platformVariables = new Set(["POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "PORT", "HOSTNAME"]);

type K8sObject = { kind: string; metadata: { name: string }; spec?: Record<string, unknown> } & Record<
  string,
  unknown
>;

function kubernetesObjects(): K8sObject[] {
  const dir = join(root, "deploy/kubernetes");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".yaml"))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), "utf8")).map((doc) => {
        expect(doc.errors, `${file}: ${doc.errors.join("; ")}`).toEqual([]);
        return doc.toJS() as K8sObject;
      }),
    );
}

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet: { path: string; port: string } };
  readinessProbe?: { httpGet: { path: string; port: string } };
  startupProbe?: { httpGet: { path: string; port: string } };
}

function containersOf(object: K8sObject): Container[] {
  const template = (object.spec as { template?: { spec: { containers: Container[] } } } | undefined)
    ?.template;
  return template?.spec.containers ?? [];
}

describe("deployment files", () => {
  const variables = declaredVariables();
  const dockerfile = read("deploy/Dockerfile");
  const targets = new Set([...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((match) => match[1]));

  it("the Dockerfile's commands start files that exist", () => {
    expect([...targets]).toEqual(expect.arrayContaining(["runtime", "studio", "migrate"]));
    expect(existsSync(join(root, "apps/runtime/src/main.ts"))).toBe(true);
    expect(existsSync(join(root, "packages/cli/bin/parley.js"))).toBe(true);
    expect(dockerfile).toContain('"../../node_modules/next/dist/bin/next", "start"');
    expect(existsSync(join(root, "node_modules/next/dist/bin/next"))).toBe(true);
    expect(JSON.parse(read("apps/studio/package.json")).scripts.build).toMatch(/next build/);
    for (const match of dockerfile.matchAll(/^ENV (.+)$/gm)) {
      for (const pair of (match[1] as string).split(/\s+/)) {
        const name = pair.split("=")[0] as string;
        if (name === "NODE_ENV" || name.startsWith("NEXT_") || name.startsWith("NPM_")) continue;
        expect(variables.has(name) || platformVariables.has(name), `Dockerfile sets unknown ${name}`).toBe(
          true,
        );
      }
    }
  });

  it("the compose file runs migrate, two runtimes behind the edge, and the studio, with known variables", () => {
    const compose = parse(read("deploy/compose.yaml"), { merge: true }) as {
      services: Record<
        string,
        {
          build?: { target: string };
          environment?: Record<string, string>;
          deploy?: { replicas: number };
          depends_on?: Record<string, { condition: string }> | string[];
        }
      >;
    };
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual([
      "edge",
      "migrate",
      "postgres",
      "redis",
      "runtime",
      "studio",
    ]);
    expect(services.runtime?.deploy?.replicas).toBe(2);
    for (const [name, service] of Object.entries(services)) {
      if (service.build)
        expect(targets.has(service.build.target), `${name}: target ${service.build.target}`).toBe(true);
      for (const variable of Object.keys(service.environment ?? {})) {
        expect(
          variables.has(variable) || platformVariables.has(variable),
          `${name} sets unknown ${variable}`,
        ).toBe(true);
      }
    }
    expect(services.runtime?.depends_on).toMatchObject({
      migrate: { condition: "service_completed_successfully" },
    });
    expect(read("deploy/Caddyfile")).toMatch(/dynamic a runtime 4000/);
  });

  it("the Kubernetes manifests reference what exists and probe real routes", () => {
    const objects = kubernetesObjects();
    const named = (kind: string) =>
      new Set(objects.filter((o) => o.kind === kind).map((o) => o.metadata.name));
    const deployments = named("Deployment");
    expect([...deployments].sort()).toEqual(["parley-runtime", "parley-studio"]);

    const configMaps = named("ConfigMap");
    const secrets = named("Secret");
    for (const object of objects.filter((o) => o.kind === "ConfigMap" || o.kind === "Secret")) {
      const data = (object.data ?? object.stringData ?? {}) as Record<string, string>;
      for (const variable of Object.keys(data)) {
        expect(variables.has(variable), `${object.metadata.name} sets unknown ${variable}`).toBe(true);
      }
    }

    const healthRoutes = read("apps/runtime/src/http/routes/health.ts");
    const routeExists = (component: string, path: string) =>
      component === "studio"
        ? existsSync(join(root, "apps/studio/src/app", path, "route.ts"))
        : healthRoutes.includes(`app.get("${path}"`);
    for (const object of objects.filter((o) => o.kind === "Deployment" || o.kind === "Job")) {
      const component = object.metadata.name.replace("parley-", "");
      for (const container of containersOf(object)) {
        for (const source of container.envFrom ?? []) {
          if (source.configMapRef) expect(configMaps.has(source.configMapRef.name)).toBe(true);
          if (source.secretRef) expect(secrets.has(source.secretRef.name)).toBe(true);
        }
        for (const variable of container.env ?? []) {
          expect(variables.has(variable.name), `${object.metadata.name} sets unknown ${variable.name}`).toBe(
            true,
          );
        }
        const portNames = new Set((container.ports ?? []).map((port) => port.name));
        for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
          if (!probe) continue;
          expect(portNames.has(probe.httpGet.port)).toBe(true);
          expect(routeExists(component, probe.httpGet.path), `${component} ${probe.httpGet.path}`).toBe(true);
        }
      }
    }
    const runtime = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "parley-runtime");
    const [runtimeContainer] = runtime ? containersOf(runtime) : [];
    expect(runtimeContainer?.livenessProbe?.httpGet.path).toBe("/health");
    expect(runtimeContainer?.readinessProbe?.httpGet.path).toBe("/ready");

    const autoscaler = objects.find((o) => o.kind === "HorizontalPodAutoscaler");
    const spec = autoscaler?.spec as {
      scaleTargetRef: { name: string };
      metrics: { type: string; external?: { metric: { name: string } } }[];
    };
    expect(deployments.has(spec.scaleTargetRef.name)).toBe(true);
    const external = spec.metrics.find((metric) => metric.type === "External")?.external?.metric.name;
    expect(external).toBe("parley_queue_depth");
    expect(read("apps/runtime/src/metrics.ts")).toContain(`name: "${external}"`);
  });

  it("docs/deploy.md names every file it documents", () => {
    const guide = read("docs/deploy.md");
    for (const file of ["deploy/Dockerfile", "deploy/compose.yaml", "deploy/Caddyfile"])
      expect(guide).toContain(file);
    for (const file of readdirSync(join(root, "deploy/kubernetes")))
      expect(guide).toContain(`deploy/kubernetes/${file}`);
  });
});
