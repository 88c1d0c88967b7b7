using System.Globalization;
using System.Net;
using BackendService.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace BackendService.Tests.Deployment;

/// <summary>
/// The manifests under deploy/ agree with the app: probe paths and ports are ones it serves,
/// the ConfigMap's settings start it, and the grace period covers its shutdown settings.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Base = Path.Combine(TestDatabase.RepositoryRoot(), "deploy", "base");

    private static readonly IReadOnlyList<YamlMappingNode> Documents = LoadDocuments(Base);

    // The overlays under deploy/overlays (which ones a service has, its template options decide).
    private static readonly string[] Overlays =
    [
        "production",
#if (pgbouncer)
        "pgbouncer",
#endif
#if (ha)
        "cloudnativepg",
#endif
    ];

    [Test]
    public void Kustomization_ListsEveryManifest_AndTheOverlaysBuildOnTheBase()
    {
        var kustomization = Load(Path.Combine(Base, "kustomization.yaml")).Single();
        var resources = Sequence(kustomization, "resources").Select(Scalar).ToList();
        var manifests = Directory.GetFiles(Base, "*.yaml").Select(Path.GetFileName)
            .Where(name => name is not "kustomization.yaml" and not "secret.template.yaml").ToList();
        var production = Load(Path.Combine(Base, "..", "overlays", "production", "kustomization.yaml")).Single();
#if (pgbouncer)
        var pgBouncer = Load(Path.Combine(Base, "..", "overlays", "pgbouncer", "kustomization.yaml")).Single();
#endif
        var overlays = Directory.GetDirectories(Path.Combine(Base, "..", "overlays")).Select(Path.GetFileName);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(resources, Is.EquivalentTo(manifests));
            Assert.That(Sequence(production, "resources").Select(Scalar), Is.EqualTo(new[] { "../../base" }));
#if (pgbouncer)
            Assert.That(Sequence(pgBouncer, "resources").Select(Scalar), Is.EqualTo(new[] { "../production" }));
#endif
            Assert.That(overlays, Is.EquivalentTo(Overlays));
        }
    }

    /// <summary>Each overlay as kubectl renders it (exactly what <c>kubectl apply -k</c> would apply; a patch whose path does not exist fails the render).</summary>
    [TestCaseSource(nameof(Overlays))]
    public async Task Overlay_RendersWithKubectl_TheServiceAndItsMigrationJob(string overlay)
    {
        var rendered = await RenderAsync(overlay);

        Assert.That(rendered.Select(d => Scalar(d, "kind")), Does.Contain("Deployment").And.Contain("Job").And.Contain("NetworkPolicy"));
    }

#if (ha)
    /// <summary>
    /// The CloudNativePG overlay as kubectl renders it (kubectl kustomize, exactly what
    /// <c>kubectl apply -k</c> would apply; a patch whose path does not exist fails the render).
    /// </summary>
    [Test]
    public async Task CloudNativePgOverlay_PodsAsADmlOnlyRoleThroughThePooler_MigrationAsTheOwner_BothVerifyTheServer()
    {
        var rendered = await RenderAsync("cloudnativepg");
        YamlMappingNode Rendered(string kind) => rendered.Single(d => Scalar(d, "kind") == kind);
        var cluster = Rendered("Cluster");
        var pooler = Rendered("Pooler");
        var clusterName = Scalar(Map(cluster, "metadata"), "name");
        var poolerName = Scalar(Map(pooler, "metadata"), "name");
        var pods = Map(Rendered("Deployment"), "spec", "template", "spec");
        var job = Map(Rendered("Job"), "spec", "template", "spec");
        var role = Sequence(Map(cluster, "spec", "managed"), "roles").Cast<YamlMappingNode>().Single();
        var grants = Sequence(Map(cluster, "spec", "bootstrap", "initdb"), "postInitApplicationSQL").Select(Scalar).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((Scalar(cluster, "kind"), Scalar(Map(cluster, "spec"), "instances")), Is.EqualTo(("Cluster", "3")), "a primary and two standbys");
            Assert.That(int.Parse(Scalar(Map(cluster, "spec", "postgresql", "synchronous"), "number"), CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1), "synchronous replication");
            Assert.That(Scalar(Map(pooler, "spec", "cluster"), "name"), Is.EqualTo(clusterName));
            Assert.That(Scalar(Map(pooler, "spec"), "type"), Is.EqualTo("rw"));
            Assert.That(Scalar(Map(pooler, "spec", "pgbouncer"), "poolMode"), Is.EqualTo("transaction"));
            Assert.That(Map(pooler, "spec", "pgbouncer", "parameters").Children.Keys.Select(k => ((YamlScalarNode)k).Value), Does.Contain("max_prepared_statements"), "statement preparation stays on");

            // The pods: a role that may only read and write rows, through the Pooler, verifying it.
            var app = DatabaseSettings(pods, out var appSecret);
            Assert.That(app.Host, Is.EqualTo(poolerName), "the pods go through the Pooler");
            Assert.That(appSecret, Is.EqualTo(Scalar(Map(role, "passwordSecret"), "name")), "as the managed DML role");
            Assert.That((Scalar(role, "name"), Scalar(role, "login"), Scalar(role, "superuser"), Scalar(role, "createrole"), Scalar(role, "createdb")), Is.EqualTo(("backendservice_app", "true", "false", "false", "false")));
            Assert.That(grants.Where(g => g.Contains("backendservice_app", StringComparison.Ordinal) && g.StartsWith("ALTER DEFAULT PRIVILEGES", StringComparison.Ordinal)),
                Has.All.Match("GRANT (SELECT, INSERT, UPDATE, DELETE ON TABLES|USAGE, SELECT ON SEQUENCES) TO backendservice_app$"), "rows only");
            Assert.That(grants, Has.None.Match("GRANT (ALL|CREATE)"), "never the right to change the schema");
            Assert.That(Sequence(Map(cluster, "spec", "certificates"), "serverAltDNSNames").Select(Scalar), Does.Contain(poolerName), "the Pooler's name is on the server certificate, for VerifyFull");

            // The migration Job: the owner (the operator's app credentials), to the primary directly.
            var migration = DatabaseSettings(job, out var migrationSecret);
            Assert.That(migration.Host, Is.EqualTo($"{clusterName}-rw"), "the migration goes to the primary's -rw Service directly");
            Assert.That(migrationSecret, Is.EqualTo($"{clusterName}-app"), "as the database owner");

            foreach (var (who, settings, spec) in new[] { ("pods", app, pods), ("migration", migration, job) })
            {
                Assert.That(settings.SslMode, Is.EqualTo(Npgsql.SslMode.VerifyFull), $"{who}: the server's certificate and name are verified");
                var mount = Sequence(Sequence(spec, "containers").Cast<YamlMappingNode>().Single(), "volumeMounts").Cast<YamlMappingNode>()
                    .Single(m => settings.RootCertificate!.StartsWith(Scalar(m, "mountPath") + "/", StringComparison.Ordinal));
                var volume = Sequence(spec, "volumes").Cast<YamlMappingNode>().Single(v => Scalar(v, "name") == Scalar(mount, "name"));
                Assert.That((Scalar(Map(volume, "secret"), "secretName"), Scalar(mount, "readOnly")), Is.EqualTo(($"{clusterName}-ca", "true")), $"{who}: against the cluster's CA, mounted read-only");
            }
        }
    }

    /// <summary>The DATABASE_URL a pod spec sets (its $(DB_USER)/$(DB_PASSWORD) filled in), and the Secret its user comes from.</summary>
    private static Npgsql.NpgsqlConnectionStringBuilder DatabaseSettings(YamlMappingNode spec, out string userSecret)
    {
        var env = Sequence(Sequence(spec, "containers").Cast<YamlMappingNode>().Single(), "env").Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"));
        userSecret = Scalar(Map(env["DB_USER"], "valueFrom", "secretKeyRef"), "name");
        var url = Scalar(env["DATABASE_URL"], "value").Replace("$(DB_USER)", "user", StringComparison.Ordinal).Replace("$(DB_PASSWORD)", "secret", StringComparison.Ordinal);
        return Infrastructure.Persistence.DatabaseConnectionString.Parse(url);
    }
#endif

    private static async Task<List<YamlMappingNode>> RenderAsync(string overlay)
    {
        var result = await ExternalProcess.RunAsync("kubectl", ["kustomize", Path.Combine(Base, "..", "overlays", overlay)]);
        Assert.That(result.ExitCode, Is.Zero, result.AllOutput);
        var stream = new YamlStream();
        stream.Load(new StringReader(result.Output));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    [Test]
    public void Deployment_ThreeReplicas_ProbesOnTheNamedPort_GracePeriodCoversDrainAndShutdown()
    {
        var deployment = Kind("Deployment");
        var pod = Map(Map(deployment, "spec"), "template", "spec");
        var container = Sequence(pod, "containers").Cast<YamlMappingNode>().Single();
        var ports = Sequence(container, "ports").Cast<YamlMappingNode>().ToDictionary(p => Scalar(p, "name"), p => Scalar(p, "containerPort"));
        var config = ConfigMapData();

        var drain = int.Parse(config["Http__DrainDelaySeconds"], CultureInfo.InvariantCulture);
        var shutdown = int.Parse(config["Http__ShutdownTimeoutSeconds"], CultureInfo.InvariantCulture);
        var grace = int.Parse(Scalar(pod, "terminationGracePeriodSeconds"), CultureInfo.InvariantCulture);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Scalar(Map(deployment, "spec"), "replicas"), Is.EqualTo("3"));
            Assert.That(ports, Is.EquivalentTo(new Dictionary<string, string> { ["http"] = config["PORT"], ["management"] = config["Management__Port"] }), "the container ports are the ones the app listens on");
            Assert.That(Scalar(pod, "automountServiceAccountToken"), Is.EqualTo("false"));
            Assert.That(ProbePath(container, "readinessProbe"), Is.EqualTo("/health/ready"));
            Assert.That(ProbePath(container, "livenessProbe"), Is.EqualTo("/health/live"));
            Assert.That(ProbePath(container, "startupProbe"), Is.EqualTo("/health/live"));
            foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
            {
                Assert.That(Scalar(Map(container, probe, "httpGet"), "port"), Is.EqualTo("management"), $"{probe}: the app answers probes on its management port only (Management__Port is set)");
            }

            Assert.That(grace, Is.GreaterThan(drain + shutdown), "Kubernetes must not SIGKILL a pod that is still draining or finishing requests");
            Assert.That(drain, Is.Positive, "the endpoint is removed from the load balancers while the pod still serves");
            Assert.That(Scalar(Map(deployment, "spec", "strategy", "rollingUpdate"), "maxUnavailable"), Is.EqualTo("0"));
            foreach (var kind in new[] { "requests", "limits" })
            {
                Assert.That(Map(container, "resources", kind).Children.Keys.Select(k => ((YamlScalarNode)k).Value), Is.SupersetOf(new[] { "cpu", "memory" }), kind);
            }

            Assert.That(Scalar(Map(pod, "securityContext"), "runAsNonRoot"), Is.EqualTo("true"));
        }
    }

    [Test]
    public void ServiceHpaPdbAndJob_PointAtTheDeployment_AndItsSettings()
    {
        var deployment = Kind("Deployment");
        var podLabels = Map(deployment, "spec", "template", "metadata", "labels");
        var selector = Map(deployment, "spec", "selector", "matchLabels");
        var service = Kind("Service");
        var hpa = Kind("HorizontalPodAutoscaler");
        var job = Kind("Job");
        var jobContainer = Sequence(Map(job, "spec", "template", "spec"), "containers").Cast<YamlMappingNode>().Single();
        var apiContainer = Sequence(Map(deployment, "spec", "template", "spec"), "containers").Cast<YamlMappingNode>().Single();
        var secrets = Load(Path.Combine(Base, "secret.template.yaml")).ToDictionary(s => Scalar(Map(s, "metadata"), "name"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Labels(selector), Is.SubsetOf(Labels(podLabels)));
            Assert.That(Labels(Map(service, "spec", "selector")), Is.EqualTo(Labels(selector)));
            Assert.That(Labels(Map(Kind("PodDisruptionBudget"), "spec", "selector", "matchLabels")), Is.EqualTo(Labels(selector)));
            Assert.That(Scalar(Sequence(Map(service, "spec"), "ports").Cast<YamlMappingNode>().Single(), "targetPort"), Is.EqualTo("http"), "the Service exposes the API port only, not management");
            Assert.That(Scalar(Map(job, "spec", "template", "spec"), "automountServiceAccountToken"), Is.EqualTo("false"));
            Assert.That(Scalar(Map(hpa, "spec", "scaleTargetRef"), "name"), Is.EqualTo(Scalar(Map(deployment, "metadata"), "name")));
            Assert.That(int.Parse(Scalar(Map(hpa, "spec"), "minReplicas"), CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(3));
            Assert.That(Sequence(jobContainer, "args").Select(Scalar), Is.EqualTo(new[] { "--migrate-only" }));
            Assert.That(Scalar(jobContainer, "image"), Is.EqualTo(Scalar(apiContainer, "image")), "the Job migrates with the version it deploys");
            // The pods read and write rows; only the migration Job has the schema owner's credentials.
            foreach (var (container, secret) in new[] { (apiContainer, "backendservice-database"), (jobContainer, "backendservice-database-migrator") })
            {
                var sources = Sequence(container, "envFrom").Cast<YamlMappingNode>().ToList();
                Assert.That(sources.Select(s => Reference(s, "configMapRef")), Has.Member(Scalar(Map(Kind("ConfigMap"), "metadata"), "name")));
                Assert.That(sources.Select(s => Reference(s, "secretRef")).OfType<string>(), Is.EqualTo(new[] { secret }));
            }

            Assert.That(secrets.Keys, Is.EquivalentTo(new[] { "backendservice-database", "backendservice-database-migrator" }));
            foreach (var secret in secrets.Values)
            {
                Assert.That(Map(secret, "stringData").Children.Keys.Select(k => ((YamlScalarNode)k).Value), Is.EqualTo(new[] { "DATABASE_URL" }));
                Assert.That(Scalar(Map(secret, "stringData"), "DATABASE_URL"), Does.Contain("sslmode=verify-full"), "the server's certificate and name are verified");
            }
        }
    }

    [Test]
    public void ConnectionBudget_CoversEveryReplicaAtFullPool()
    {
        var budget = int.Parse(Scalar(Map(Kind("ConfigMap"), "metadata", "annotations"), "backendservice/database-connection-budget"), CultureInfo.InvariantCulture);
        var maxReplicas = int.Parse(Scalar(Map(Kind("HorizontalPodAutoscaler"), "spec"), "maxReplicas"), CultureInfo.InvariantCulture);
        var pool = int.Parse(ConfigMapData()["Database__MaxPoolSize"], CultureInfo.InvariantCulture);

        Assert.That((maxReplicas * pool) + 1, Is.LessThanOrEqualTo(budget), "replicas x pool + the migration Job");
        Assert.That(budget, Is.LessThan(100), "below PostgreSQL's default max_connections");
    }

    [Test]
    public void NetworkPolicy_OpensTheApiPortToTheIngress_AndManagementToMonitoring()
    {
        var policy = Kind("NetworkPolicy");
        var rules = Sequence(Map(policy, "spec"), "ingress").Cast<YamlMappingNode>()
            .ToDictionary(
                rule => Scalar(Map(Sequence(rule, "from").Cast<YamlMappingNode>().Single(), "namespaceSelector", "matchLabels"), "kubernetes.io/metadata.name"),
                rule => Sequence(rule, "ports").Cast<YamlMappingNode>().Select(p => Scalar(p, "port")).ToList());

        Assert.That(Labels(Map(policy, "spec", "podSelector", "matchLabels")), Is.EqualTo(Labels(Map(Kind("Deployment"), "spec", "selector", "matchLabels"))));
        Assert.That(rules, Is.EquivalentTo(new Dictionary<string, List<string>> { ["ingress-nginx"] = ["http"], ["monitoring"] = ["management"] }));
    }

    [Test]
    public void NetworkPolicy_LetsThePodsReachDnsPostgresTheIssuerAndTheCollector_AndNothingElse()
    {
        var spec = Map(Kind("NetworkPolicy"), "spec");
        var egress = Sequence(spec, "egress").Cast<YamlMappingNode>().ToList();
        var ports = egress.SelectMany(rule => Sequence(rule, "ports").Cast<YamlMappingNode>().Select(p => $"{Scalar(p, "port")}/{Scalar(p, "protocol")}")).ToList();
        var collector = new Uri("http://otel-collector.observability:4317");
        var world = egress.SelectMany(rule => Sequence(rule, "to").Cast<YamlMappingNode>())
            .Where(to => to.Children.ContainsKey(new YamlScalarNode("ipBlock")))
            .Select(to => Map(to, "ipBlock"))
            .ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Sequence(spec, "policyTypes").Select(Scalar), Is.EquivalentTo(new[] { "Ingress", "Egress" }));
            Assert.That(ports, Is.EquivalentTo(new[] { "53/UDP", "53/TCP", "5432/TCP", "443/TCP", $"{collector.Port}/TCP" }), "DNS, PostgreSQL, the issuer (HTTPS), the OTLP collector");
            Assert.That(egress, Has.All.Matches<YamlMappingNode>(rule => rule!.Children.ContainsKey(new YamlScalarNode("to")) && rule.Children.ContainsKey(new YamlScalarNode("ports"))), "no rule opens every destination or every port");
            Assert.That(world.Select(block => Sequence(block, "except").Select(Scalar)), Has.All.SupersetOf(new[] { "10.0.0.0/8", "169.254.0.0/16" }), "the issuer's rule reaches neither the cluster's private ranges nor the metadata endpoint");
        }
    }

    [Test]
    public void TrustedProxies_AreTheIngressControllersRange_NotThePodNetwork()
    {
        var networks = ConfigMapData()["ForwardedHeaders__KnownNetworks"].Split(',', StringSplitOptions.TrimEntries);

        Assert.That(networks, Is.Not.Empty);
        Assert.That(networks.Select(n => int.Parse(n.Split('/')[1], CultureInfo.InvariantCulture)), Has.All.GreaterThanOrEqualTo(24), "a range as small as the ingress controller's pods, never the whole pod network");
    }

    /// <summary>
    /// The ConfigMap's settings start the app, and it serves every path the manifests probe or
    /// scrape, anonymously; the issuer is a local provider (the real one is not reachable here).
    /// </summary>
    [Test]
    public async Task TheAppWithTheConfigMapsSettings_ServesTheProbedAndScrapedPaths()
    {
        await using var provider = await IdentityProvider.StartAsync();
        var managementPort = ExternalProcess.FreeLoopbackPort();
        var settings = ConfigMapData()
            .Where(setting => setting.Key is not "PORT" and not "ASPNETCORE_ENVIRONMENT")
            .ToDictionary(setting => setting.Key.Replace("__", ":", StringComparison.Ordinal), setting => (string?)setting.Value);
        Assert.That(settings, Does.ContainKey("Auth:Authority").And.ContainKey("Auth:Audience"));
        settings["Auth:Authority"] = provider.Issuer;
        settings["Auth:Audience"] = IdentityProvider.Audience;
        settings["Auth:RequireHttpsMetadata"] = "false";
        settings["Auth:Enabled"] = "true"; // the app's default, which the test factory otherwise turns off
        settings["Management:Port"] = managementPort.ToString(CultureInfo.InvariantCulture); // a free one here
        await using var factory = new ApiFactory(TestHost.ConnectionString, settings, kestrel: true);
        using var client = factory.CreateKestrelClient();

        var deployment = Kind("Deployment");
        var container = Sequence(Map(deployment, "spec", "template", "spec"), "containers").Cast<YamlMappingNode>().Single();
        var annotations = Map(deployment, "spec", "template", "metadata", "annotations");
        // Each probe on the port it names: the management port serves the probes, the API port does not.
        var ports = new Dictionary<string, int> { ["http"] = factory.Port, ["management"] = managementPort };
        var paths = new[] { "readinessProbe", "livenessProbe", "startupProbe" }
            .Select(probe => $"http://127.0.0.1:{ports[Scalar(Map(container, probe, "httpGet"), "port")]}{ProbePath(container, probe)}")
            .Append($"http://127.0.0.1:{managementPort}{Scalar(annotations, "prometheus.io/path")}");

        foreach (var path in paths)
        {
            using var response = await client.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        }

        Assert.That(Scalar(annotations, "prometheus.io/port"), Is.EqualTo(ConfigMapData()["Management__Port"]));
    }

    private static Dictionary<string, string> ConfigMapData() =>
        Map(Kind("ConfigMap"), "data").Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);

    private static string ProbePath(YamlMappingNode container, string probe) => Scalar(Map(container, probe, "httpGet"), "path");

    private static YamlMappingNode Kind(string kind) => Documents.Single(d => Scalar(d, "kind") == kind);

    private static Dictionary<string, string> Labels(YamlMappingNode labels) =>
        labels.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);

    private static YamlMappingNode Map(YamlMappingNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => (YamlMappingNode)current.Children[new YamlScalarNode(key)]);

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key) => ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Children;

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;

    private static string Scalar(YamlMappingNode node, string key) => Scalar(node.Children[new YamlScalarNode(key)]);

    /// <summary>The name an <c>envFrom</c> entry refers to, if it is of <paramref name="kind"/>.</summary>
    private static string? Reference(YamlMappingNode source, string kind) =>
        source.Children.TryGetValue(new YamlScalarNode(kind), out var reference) ? Scalar((YamlMappingNode)reference, "name") : null;

    private static List<YamlMappingNode> LoadDocuments(string directory) =>
        [.. Directory.GetFiles(directory, "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal) && !f.EndsWith("secret.template.yaml", StringComparison.Ordinal)).SelectMany(Load)];

    private static IEnumerable<YamlMappingNode> Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode);
    }
}
