import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./server";

/**
 * A real nginx (Debian's nginx-light, installed by scripts/ci/install-nginx.sh) in front of an app
 * server, run as an ordinary process with its own prefix, on two free loopback ports:
 * `url` proxies as a plain HTTP proxy does (X-Forwarded-Proto is the scheme it was reached by),
 * `tlsUrl` as a proxy that terminated TLS does (X-Forwarded-Proto: https), which is what a
 * deployment behind a certificate looks like to the app. Both pass the Host the client sent.
 */
export interface ReverseProxy {
  url: string;
  tlsUrl: string;
  stop(): Promise<void>;
}

const nginxBin = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((file) => fs.existsSync(file));

export const nginxAvailable = nginxBin !== undefined;

export async function startNginx(upstream: string): Promise<ReverseProxy> {
  if (!nginxBin) throw new Error("nginx is not installed: run `bash scripts/ci/install-nginx.sh` (Debian package nginx-light).");
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-nginx-"));
  const [plainPort, tlsPort] = [await freePort(), await freePort()];
  const location = (proto: string) => `
      location / {
        proxy_pass ${upstream};
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-Host $http_host;
        proxy_set_header X-Forwarded-Proto ${proto};
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      }`;
  fs.writeFileSync(
    path.join(prefix, "nginx.conf"),
    `
    worker_processes 1;
    pid ${prefix}/nginx.pid;
    error_log ${prefix}/error.log warn;
    events { worker_connections 256; }
    http {
      access_log off;
      client_body_temp_path ${prefix}/body;
      proxy_temp_path ${prefix}/proxy;
      fastcgi_temp_path ${prefix}/fastcgi;
      uwsgi_temp_path ${prefix}/uwsgi;
      scgi_temp_path ${prefix}/scgi;
      client_max_body_size 60m;
      server { listen 127.0.0.1:${plainPort}; ${location("$scheme")} }
      server { listen 127.0.0.1:${tlsPort}; ${location("https")} }
    }`,
  );
  const child = spawn(nginxBin, ["-p", prefix, "-c", path.join(prefix, "nginx.conf"), "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${plainPort}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start:\n${output}\n${readIfExists(path.join(prefix, "error.log"))}`);
    try {
      await fetch(`${url}/api/models`);
      break;
    } catch {
      if (attempt > 100) throw new Error(`nginx did not answer on ${url}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    tlsUrl: `http://127.0.0.1:${tlsPort}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGQUIT");
        await exited;
      }
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}

function readIfExists(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}
