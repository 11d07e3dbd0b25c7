//! Helper processes (Xvfb, tauri-driver), each in its own process group, killed as a
//! group on drop.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use crate::WAIT;

pub(crate) const SETUP_HINT: &str = "run scripts/setup.sh (it installs xvfb, webkit2gtk-driver and tauri-driver)";

pub(crate) fn find_tool(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> =
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    if let Some(cargo_home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(cargo_home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("`{name}` is not installed (not on PATH nor in ~/.cargo/bin): {SETUP_HINT}"))
}

extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
}
const SIGTERM: i32 = 15;
const SIGKILL: i32 = 9;

pub(crate) struct Group {
    name: &'static str,
    child: Child,
    _stdout: Option<ChildStdout>,
}

impl Group {
    pub(crate) fn spawn(name: &'static str, mut cmd: Command) -> Group {
        cmd.process_group(0);
        let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {name}: {e}; {SETUP_HINT}"));
        Group { name, child, _stdout: None }
    }

    pub(crate) fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(format!("{} exited early ({status})", self.name)),
            _ => None,
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = self.child.id() as i32;
        // SAFETY: kill(2) with a negative pid signals exactly the process group we made.
        unsafe { kill(-pgid, SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Whatever is left of the group (WebKitWebDriver, the app) goes too.
        unsafe { kill(-pgid, SIGKILL) };
        let _ = self.child.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("find a free port")
}

pub(crate) fn port_open(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

pub(crate) fn start_xvfb() -> (Group, String) {
    let xvfb = find_tool("Xvfb");
    let mut cmd = Command::new(xvfb);
    // -displayfd 1: Xvfb picks a free display and writes its number to our pipe.
    cmd.args(["-displayfd", "1", "-screen", "0", "1920x1200x24", "-nolisten", "tcp"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut group = Group::spawn("Xvfb", cmd);
    let stdout = group.child.stdout.take().expect("Xvfb stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send((line, reader.into_inner()));
    });
    let (line, stdout) =
        rx.recv_timeout(WAIT).unwrap_or_else(|_| panic!("Xvfb did not report a display within {WAIT:?}"));
    group._stdout = Some(stdout);
    let number = line.trim();
    assert!(
        !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
        "Xvfb did not start (it printed {line:?}; {})",
        group.exited().unwrap_or_default()
    );
    (group, format!(":{number}"))
}
