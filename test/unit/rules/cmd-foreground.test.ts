import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, findings, fixes } from '../../helpers/rules';

const ID = 'cmd-foreground';

test('init scripts that start a service in the background', async () => {
  await expectFindings(ID, 'FROM a\nCMD «service nginx start»\n');
  await expectFindings(ID, 'FROM a\nCMD «/etc/init.d/ssh start»\n');
  await expectFindings(ID, 'FROM a\nCMD «systemctl start nginx»\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT «service $SERVICE restart»\n');
  await expectFindings(ID, 'FROM a\nCMD service ssh start && «service apache2 start»\n');
  await expectFindings(ID, 'FROM a\nCMD [«"service", "nginx", "start"»]\n');
});

test('daemons that fork without their foreground option', async () => {
  await expectFindings(ID, 'FROM a\nCMD [«"nginx"»]\n');
  await expectFindings(ID, 'FROM a\nCMD «/usr/sbin/nginx -p /srv»\n');
  await expectFindings(ID, 'FROM a\nCMD «apachectl start»\n');
  await expectFindings(ID, 'FROM a\nCMD [«"apache2ctl", "-k", "start"»]\n');
  await expectFindings(ID, 'FROM a\nCMD [«"/usr/sbin/httpd"»]\n');
  await expectFindings(ID, 'FROM a\nCMD «cron»\n');
  await expectFindings(ID, 'FROM alpine\nCMD [«"crond", "-l", "2"»]\n');
  await expectFindings(ID, 'FROM a\nCMD [«"/usr/sbin/sshd"»]\n');
  await expectFindings(ID, 'FROM a\nCMD [«"redis-server", "--daemonize", "yes"»]\n');
  await expectFindings(ID, 'FROM a\nCMD [«"mysqld", "--daemonize"»]\n');
  await expectFindings(ID, 'FROM a\nCMD [«"memcached", "-u", "memcache", "-d"»]\n');
  await expectFindings(ID, 'FROM a\nCMD [«"mongod", "--fork", "--logpath", "/var/log/m.log"»]\n');
  await expectFindings(ID, 'FROM a\nCMD [«"/opt/tomcat/bin/catalina.sh", "start"»]\n');
  await expectFindings(ID, 'FROM a\nCMD [«"pg_ctl", "-D", "/data", "start"»]\n');
});

test('php-fpm and supervisord only when installed here and not configured for the foreground', async () => {
  await expectFindings(ID, 'FROM debian\nRUN apt-get install -y php8.2-fpm\nCMD [«"php-fpm8.2"»]\n');
  await expectFindings(ID, 'FROM alpine\nRUN apk add php82-fpm\nCMD [«"php-fpm82"»]\n');
  await expectFindings(ID, 'FROM debian\nRUN apt-get install -y supervisor\nCMD [«"/usr/bin/supervisord"»]\n');
  // the official php:fpm images run php-fpm in the foreground by configuration
  await expectFindings(ID, 'FROM php:8.3-fpm\nCMD ["php-fpm"]\n');
  await expectFindings(
    ID,
    'FROM debian\nRUN apt-get install -y php-fpm && sed -i "s/;daemonize = yes/daemonize = no/" /etc/php/8.2/fpm/php-fpm.conf\nCMD ["php-fpm8.2"]\n',
  );
  // a supervisord.conf copied in usually says nodaemon=true
  await expectFindings(
    ID,
    'FROM debian\nRUN apt-get install -y supervisor\nCOPY supervisord.conf /etc/supervisor/conf.d/\nCMD ["/usr/bin/supervisord"]\n',
  );
  await expectFindings(ID, 'FROM my/base\nCMD ["supervisord"]\n');
  // explicit -D daemonizes whatever the configuration says
  await expectFindings(ID, 'FROM php:8.3-fpm\nCMD [«"php-fpm", "-D"»]\n');
});

test('a trailing & sends the command to the background', async () => {
  await expectFindings(ID, 'FROM a\nCMD /app/server «&»\n');
  await expectFindings(ID, 'FROM a\nCMD mysqld_safe «&»\n');
  await expectFindings(ID, 'FROM a\nCMD ["sh", "-c", "/app/server «&»"]\n');
  await expectFindings(ID, 'FROM a\nCMD sidecar & server\n');
  await expectFindings(ID, 'FROM a\nCMD a & b & wait\n');
});

test('sh -c strings in exec form are read as shell', async () => {
  await expectFindings(ID, 'FROM a\nCMD ["sh", "-c", "«service nginx start»"]\n');
  await expectFindings(ID, 'FROM a\nCMD ["/bin/bash", "-c", "php-fpm -D; «nginx»"]\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT ["/bin/sh", "-ec", "«/usr/sbin/sshd»"]\n');
  await expectFindings(ID, 'FROM a\nCMD ["sh", "-c", "service nginx start && tail -f /var/log/nginx/access.log"]\n');
});

test('ENTRYPOINT and CMD together', async () => {
  // the CMD gives the ENTRYPOINT its arguments
  await expectFindings(ID, 'FROM a\nENTRYPOINT ["/usr/sbin/httpd"]\nCMD ["-D", "FOREGROUND"]\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT ["nginx"]\nCMD ["-g", "daemon off;"]\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT [«"nginx"»]\nCMD ["-p", "/srv"]\n');
  // a pass-through ENTRYPOINT: the CMD is the command
  await expectFindings(ID, 'FROM a\nENTRYPOINT ["tini", "--"]\nCMD [«"/usr/sbin/sshd"»]\n');
  // an entrypoint script decides what the CMD means
  await expectFindings(ID, 'FROM a\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["nginx"]\n');
  // a shell-form ENTRYPOINT ignores the CMD
  await expectFindings(ID, 'FROM a\nENTRYPOINT «service nginx start»\nCMD ["-x"]\n');
});

test('only the CMD/ENTRYPOINT that counts; ONBUILD; continuations', async () => {
  await expectFindings(ID, 'FROM a\nCMD service nginx start\nCMD ["nginx", "-g", "daemon off;"]\n');
  await expectFindings(ID, 'FROM a\nONBUILD CMD «service nginx start»\n');
  await expectFindings(ID, 'FROM a\nCMD «service \\\n    nginx start»\n');
  await expectFindings(ID, 'FROM a AS one\nCMD «cron»\nFROM b\nCMD «crond»\n');
});

test('foreground forms and other commands are fine', async () => {
  for (const cmd of [
    '["nginx", "-g", "daemon off;"]',
    '["nginx", "-g", "pid /tmp/n.pid; daemon off;"]',
    '["nginx", "-c", "/etc/nginx/custom.conf"]',
    '["nginx", "-t"]',
    '["apache2ctl", "-D", "FOREGROUND"]',
    '["httpd", "-DFOREGROUND"]',
    '["httpd-foreground"]',
    '["cron", "-f"]',
    '["crond", "-f", "-l", "2"]',
    '["crond", "-fl", "8"]',
    '["/usr/sbin/sshd", "-D", "-e"]',
    '["redis-server"]',
    '["redis-server", "/etc/redis.conf"]',
    '["mysqld"]',
    '["mysqld_safe"]',
    '["supervisord", "-n"]',
    '["supervisord", "-c", "/etc/supervisord.conf"]',
    '["catalina.sh", "run"]',
    'service nginx status',
    'service nginx start && tail -f /var/log/nginx/access.log',
    'nginx $NGINX_OPTS',
    '["/docker-entrypoint.sh"]',
    '["bash"]',
  ]) {
    await expectFindings(ID, `FROM a\nCMD ${cmd}\n`);
  }
  await expectFindings(ID, 'FROM a\nRUN echo "daemon off;" >> /etc/nginx/nginx.conf\nCMD ["/usr/sbin/nginx"]\n');
  await expectFindings(ID, 'FROM a\nCOPY nginx.conf /etc/nginx/nginx.conf\nCMD ["nginx"]\n');
  await expectFindings(ID, 'FROM a\nRUN service nginx start\n');
  await expectFindings(ID, 'FROM a\nSHELL ["pwsh", "-c"]\nCMD service nginx start\n');
});

test('messages in both languages cite the notes', async () => {
  const en = await findings(ID, 'FROM a\nCMD service nginx start\n');
  assert.match(en.diagnostics[0]!.message, /CMD service nginx start/);
  assert.match(en.diagnostics[0]!.message, /CMD \["nginx", "-g", "daemon off;"\]/);
  const zh = await findings(ID, 'FROM a\nCMD service nginx start\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /主进程实际上是 sh/);
  const amp = await findings(ID, 'FROM a\nCMD run &\n', 'zh-cn');
  assert.match(amp.diagnostics[0]!.message, /末尾的 `&`/);
});

test('fix: the foreground exec form, keeping the keyword', async () => {
  const cases: [string, string][] = [
    ['CMD service nginx start', 'CMD ["nginx", "-g", "daemon off;"]'],
    ['CMD ["service", "nginx", "start"]', 'CMD ["nginx", "-g", "daemon off;"]'],
    ['CMD ["sh", "-c", "service nginx start"]', 'CMD ["nginx", "-g", "daemon off;"]'],
    ['ENTRYPOINT /etc/init.d/nginx restart', 'ENTRYPOINT ["nginx", "-g", "daemon off;"]'],
    ['CMD ["nginx"]', 'CMD ["nginx", "-g", "daemon off;"]'],
    [
      'CMD ["/usr/sbin/nginx", "-g", "pid /run/n.pid;"]',
      'CMD ["/usr/sbin/nginx", "-g", "pid /run/n.pid; daemon off;"]',
    ],
    ['CMD service apache2 start', 'CMD ["apache2ctl", "-D", "FOREGROUND"]'],
    ['CMD apachectl start', 'CMD ["apachectl", "-D", "FOREGROUND"]'],
    ['CMD ["apache2ctl", "-k", "start"]', 'CMD ["apache2ctl", "-D", "FOREGROUND"]'],
    ['CMD ["/usr/sbin/httpd", "-k", "start"]', 'CMD ["/usr/sbin/httpd", "-DFOREGROUND"]'],
    ['CMD service httpd start', 'CMD ["httpd", "-DFOREGROUND"]'],
    ['CMD service cron start', 'CMD ["cron", "-f"]'],
    ['CMD cron', 'CMD ["cron", "-f"]'],
    ['CMD ["crond", "-l", "2"]', 'CMD ["crond", "-l", "2", "-f"]'],
    ['CMD ["sshd", "-p", "2222"]', 'CMD ["/usr/sbin/sshd", "-D", "-p", "2222"]'],
    ['CMD ["redis-server", "--daemonize", "yes", "--port", "7000"]', 'CMD ["redis-server", "--port", "7000"]'],
    ['CMD service supervisor start', 'CMD ["supervisord", "-n"]'],
    ['CMD exec /usr/sbin/sshd', 'CMD ["/usr/sbin/sshd", "-D"]'],
    ['CMD ["tini", "--", "cron"]', 'CMD ["tini", "--", "cron", "-f"]'],
  ];
  for (const [before, after] of cases) {
    assert.equal(await applyFix(ID, `FROM a\n${before}\n`), `FROM a\n${after}\n`, before);
  }
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get install -y php8.2-fpm\nCMD ["php-fpm8.2"]\n'),
    'FROM a\nRUN apt-get install -y php8.2-fpm\nCMD ["php-fpm8.2", "-F"]\n',
  );
  assert.equal(await applyFix(ID, 'FROM a\nONBUILD CMD service cron start\n'), 'FROM a\nONBUILD CMD ["cron", "-f"]\n');
});

test('a fix that may need what the init script prepared is offered, but not preferred', async () => {
  for (const [before, after] of [
    ['CMD service ssh start', '["/usr/sbin/sshd", "-D"]'],
    ['CMD service php8.2-fpm start', '["php-fpm8.2", "-F"]'],
    ['CMD service mysql start', '["mysqld"]'],
    ['CMD service mariadb start', '["mariadbd"]'],
    ['CMD service redis-server start', '["redis-server"]'],
  ] as const) {
    const proposals = await fixes(ID, `FROM a\n${before}\n`);
    assert.equal(proposals.length, 1, before);
    assert.equal(proposals[0]!.preferred, false, before);
    assert.equal(proposals[0]!.edits[0]!.newText, after, before);
  }
});

test('no fix where the foreground command is not certain', async () => {
  for (const text of [
    'CMD service postgresql start',
    'CMD service $SVC start',
    'CMD service myapp start',
    'CMD service ssh start && service nginx start',
    'CMD /app/server &',
    'CMD ["sh", "-c", "php-fpm -D; nginx"]',
    'CMD ["pg_ctl", "start"]',
    'ENTRYPOINT ["nginx"]\nCMD ["-p", "/srv"]',
    'CMD service nginx start # web',
  ]) {
    assert.deepEqual(await fixes(ID, `FROM a\n${text}\n`), [], text);
  }
});

test('fix: cronie keeps crond in the foreground with -n', async () => {
  assert.equal(await applyFix(ID, 'FROM a\nCMD service crond start\n'), 'FROM a\nCMD ["crond", "-n"]\n');
  assert.equal(
    await applyFix(ID, 'FROM fedora\nRUN dnf install -y cronie\nCMD ["crond"]\n'),
    'FROM fedora\nRUN dnf install -y cronie\nCMD ["crond", "-n"]\n',
  );
});
