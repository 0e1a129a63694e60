package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytecode the agent writes, checked against this JDK's own classes (from the jrt image). */
class JdkInterceptionTest {
  private static final String NET_ARGS =
      "(Ljava/net/ProtocolFamily;Ljava/io/FileDescriptor;Ljava/net/InetAddress;I)";

  @Test
  void netBindAndConnectCallTheBridgeFirstAndNothingElseChanges() throws IOException {
    byte[] original = jdkClass("java.base", "sun/nio/ch/Net");
    byte[] patched = JdkInterception.patchNet(original);
    assertEquals(List.of(), ClassFile.of().verify(patched));

    ClassModel before = ClassFile.of().parse(original);
    ClassModel after = ClassFile.of().parse(patched);
    assertEquals(before.methods().size(), after.methods().size());
    assertEquals(before.fields().size(), after.fields().size());
    for (MethodModel method : after.methods()) {
      String key = method.methodName().stringValue() + method.methodType().stringValue();
      List<Instruction> code = instructions(method);
      List<Instruction> old = instructions(find(before, key));
      if (key.equals("bind" + NET_ARGS + "V") || key.equals("connect" + NET_ARGS + "I")) {
        InvokeInstruction call = (InvokeInstruction) code.get(3);
        assertEquals("sun/nio/ch/SdpShimBridge", call.owner().asInternalName(), key);
        assertEquals(method.methodName().stringValue(), call.name().stringValue());
        assertEquals(old.size() + 4, code.size(), key);
      } else {
        assertEquals(old.size(), code.size(), key + " must stay as it was");
      }
    }
  }

  @Test
  void aNetWithoutTheExpectedMethodsIsRefusedRatherThanHalfPatched() throws IOException {
    byte[] notNet = jdkClass("java.base", "sun/net/NetHooks");
    assertThrows(IllegalStateException.class, () -> JdkInterception.patchNet(notNet));
  }

  @Test
  void netHooksInitialiserAndHooksBecomeBareReturns() throws IOException {
    byte[] original;
    try {
      original = jdkClass("java.base", "sun/net/NetHooks");
    } catch (IOException absent) {
      return; // JDK 26+: no NetHooks
    }
    byte[] emptied = JdkInterception.emptyNetHooks(original);
    assertEquals(List.of(), ClassFile.of().verify(emptied));
    ClassModel model = ClassFile.of().parse(emptied);
    for (String name : List.of("<clinit>", "beforeTcpBind", "beforeTcpConnect")) {
      MethodModel method = model.methods().stream()
          .filter(m -> m.methodName().equalsString(name)).findFirst().orElseThrow();
      List<Instruction> code = instructions(method);
      assertEquals(1, code.size(), name);
      assertEquals("RETURN", code.get(0).opcode().name(), name);
    }
  }

  @Test
  void bridgeVerifies() {
    byte[] bridge = JdkInterception.bridgeBytes();
    assertEquals(List.of(), ClassFile.of().verify(bridge));
    ClassModel model = ClassFile.of().parse(bridge);
    assertEquals("sun/nio/ch/SdpShimBridge", model.thisClass().asInternalName());
    assertTrue(model.fields().stream().allMatch(f -> f.flags().flagsMask()
        == (ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC | ClassFile.ACC_VOLATILE)));
  }

  private static MethodModel find(ClassModel model, String key) {
    return model.methods().stream()
        .filter(m -> key.equals(m.methodName().stringValue() + m.methodType().stringValue()))
        .findFirst().orElseThrow();
  }

  private static List<Instruction> instructions(MethodModel method) {
    return method.code().map(code -> code.elementStream()
        .filter(e -> e instanceof Instruction).map(e -> (Instruction) e).toList())
        .orElse(List.of());
  }

  private static byte[] jdkClass(String module, String internalName) throws IOException {
    FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    try (InputStream in = Files.newInputStream(
        jrt.getPath("modules", module, internalName + ".class"))) {
      return in.readAllBytes();
    }
  }
}
