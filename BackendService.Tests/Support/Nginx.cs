using System.Globalization;
using System.Text;

namespace BackendService.Tests.Support;

/// <summary>
/// Debian's nginx on a loopback port as the load balancer in front of several replicas, with
/// the proxy settings deploy/ and the README recommend. Its files live in .local/nginx-tests.
/// </summary>
internal sealed class Nginx : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly BackgroundProcess _process;

    private Nginx(BackgroundProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string Output => _process.Output;

    public static async Task<Nginx> StartAsync(IEnumerable<int> upstreamPorts)
    {
        var prefix = Path.Combine(TestDatabase.RepositoryRoot(), ".local", "nginx-tests");
        Directory.CreateDirectory(Path.Combine(prefix, "temp"));
        var port = ExternalProcess.FreeLoopbackPort();

        var servers = new StringBuilder();
        foreach (var upstream in upstreamPorts)
        {
            // One failure takes a replica out for 2 s: a stopped replica is skipped at once.
            servers.Append(CultureInfo.InvariantCulture, $"        server 127.0.0.1:{upstream} max_fails=1 fail_timeout=2s;\n");
        }

        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/temp/body;
                proxy_temp_path {{prefix}}/temp/proxy;
                fastcgi_temp_path {{prefix}}/temp/fastcgi;
                uwsgi_temp_path {{prefix}}/temp/uwsgi;
                scgi_temp_path {{prefix}}/temp/scgi;

                upstream backendservice {
            {{servers}}        keepalive 32;
                }

                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://backendservice;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_connect_timeout 1s;
                        # A request that could not be delivered (refused, reset before an
                        # answer) goes to the next replica, POSTs included: a replica that
                        # stops answers every request it has read (graceful shutdown), and a
                        # repeated create could only meet the unique e-mail and get a 409.
                        proxy_next_upstream error timeout non_idempotent;
                        proxy_next_upstream_tries 3;
                    }
                }
            }
            """));

        string[] arguments = ["-p", prefix, "-c", config, "-e", "stderr", "-g", "daemon off;"];
        return new Nginx(await BackgroundProcess.StartServerAsync(Binary, arguments, prefix, port), port);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
